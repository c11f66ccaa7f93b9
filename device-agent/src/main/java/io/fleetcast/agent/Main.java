package io.fleetcast.agent;

public final class Main {
    public static void main(String[] args) {}
}
