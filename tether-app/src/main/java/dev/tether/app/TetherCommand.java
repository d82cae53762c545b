package dev.tether.app;

public final class TetherCommand {
    public static void main(String[] args) {}
}
