package io.fleetcast.platform.group;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class DeviceGroupRepository implements PanacheRepositoryBase<DeviceGroup, UUID> {}
