package io.fleetcast.platform.group;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** Devices to add to or remove from a static group, at most 10,000 per call. */
public record MembersRequest(@NotEmpty @Size(max = 10_000) List<@NotNull UUID> deviceIds) {}
