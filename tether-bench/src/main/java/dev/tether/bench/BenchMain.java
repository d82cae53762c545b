package dev.tether.bench;

public final class BenchMain {
    public static void main(String[] args) {}
}
