package dev.tether.bench;

import dev.tether.internal.Platforms;
import dev.tether.linux.LinuxPlatform;
import dev.tether.linux.ProcFs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** What the figures were measured on, and from which commit. */
record Machine(String date, String gitCommit, boolean gitDirty, String kernel, String arch, int cores, String cpu,
               String jdk, String jvmArguments, String glibc, String bestContainment, String launchMechanism,
               String loadAverageAtStart, int processesAtStart) {

    static Machine probe(Path repo) {
        String commit = git(repo, "rev-parse", "HEAD").trim();
        boolean dirty = !git(repo, "status", "--porcelain", "--untracked-files=no").isBlank();
        return new Machine(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), commit, dirty,
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                LinuxPlatform.usable() ? "glibc " + LinuxPlatform.glibcVersion() : "n/a",
                Platforms.best().name(),
                System.getProperty("jdk.lang.Process.launchMechanism", "default (POSIX_SPAWN via jspawnhelper)"),
                loadAverage(), ProcFs.pids().length);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String git(Path repo, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
