package io.fleetcast.platform.model;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class DeviceModelRepository implements PanacheRepositoryBase<DeviceModel, UUID> {}
