package io.fleetcast.platform.device;

import java.util.List;

/**
 * One page of a keyset-paged listing.
 *
 * @param items the devices, in id order
 * @param next pass as {@code after} to get the next page; absent on the last page
 */
public record DevicePage(List<DeviceView> items, String next) {}
