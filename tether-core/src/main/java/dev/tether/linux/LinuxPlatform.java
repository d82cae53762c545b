package dev.tether.linux;

import dev.tether.Containment;
import dev.tether.ProcessId;
import dev.tether.ProcessInfo;
import dev.tether.ProcessSpec;
import dev.tether.Signal;
import dev.tether.internal.StopAlgorithm;
import dev.tether.linux.libc.LibC;
import dev.tether.spi.Guardian;
import dev.tether.spi.Platform;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import dev.tether.spi.SpawnRequest;
import dev.tether.spi.SpawnedProcess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux through the Foreign Function &amp; Memory API: {@code posix_spawn}, pidfds and one epoll
 * thread, a child subreaper, and a cgroup v2 per session where this process may create one
 * (else process group + environment marker).
 */
public final class LinuxPlatform implements Platform {
    private static final Logger log = LoggerFactory.getLogger(LinuxPlatform.class);
    /** How long reconciliation keeps killing what is in a dead instance's cgroup before it leaves the cgroup. */
    private static final Duration DEAD_RELEASE_LIMIT = Duration.ofSeconds(2);
    private static volatile Machinery machinery;

    private final Containment containment;
    private final Optional<Path> cgroupBase;
    private final Machinery m;

    /** The process-wide parts: one exit watcher, one reaper, one spawner per JVM. */
    private record Machinery(ExitWatcher watcher, OrphanReaper reaper, LinuxSpawner spawner, Optional<Path> cgroupBase) {}

    private LinuxPlatform(Containment containment, Machinery m) {
        this.containment = containment;
        this.m = m;
        this.cgroupBase = containment == Containment.CGROUP ? m.cgroupBase : Optional.empty();
    }

    /** Whether this JVM runs on Linux with native access enabled for Tether. */
    public static boolean usable() {
        return System.getProperty("os.name", "").equals("Linux")
                && LinuxPlatform.class.getModule().isNativeAccessEnabled()
                && ProcFs.available();
    }

    /** Whether cgroup v2 session scopes can be created by this process. */
    public static boolean cgroupsAvailable() {
        return machinery().cgroupBase.isPresent();
    }

    /** A platform giving the strongest containment available, or exactly {@code wanted} if available. */
    public static LinuxPlatform create(boolean useCgroups) {
        Machinery mach = machinery();
        return new LinuxPlatform(useCgroups && mach.cgroupBase.isPresent()
                ? Containment.CGROUP : Containment.PROCESS_GROUP_AND_MARKER, mach);
    }

    private static Machinery machinery() {
        Machinery mach = machinery;
        if (mach == null) {
            synchronized (LinuxPlatform.class) {
                mach = machinery;
                if (mach == null) {
                    Optional<Path> base = Cgroups.writableBase();
                    ExitWatcher watcher = new ExitWatcher();
                    String prefix = Cgroups.ownCgroup().orElse("/");
                    String tetherPrefix = (prefix.endsWith("/") ? prefix : prefix + "/") + Cgroups.INSTANCE_PREFIX;
                    OrphanReaper reaper = new OrphanReaper(watcher, pid -> Cgroups.cgroupOf(pid)
                            .map(cg -> cg.startsWith(tetherPrefix)).orElse(false));
                    // A held child must have closed this JVM's descriptors before its hold (closefrom, glibc 2.34+).
                    Optional<HeldSpawns> held = base.isPresent() && LibC.hasAddclosefromNp()
                            ? HeldSpawns.create(watcher) : Optional.empty();
                    if (held.isPresent()) {
                        Thread.ofVirtual().name("tether-release-abandoned-spawns").start(HeldSpawns::releaseAbandoned);
                    }
                    mach = new Machinery(watcher, reaper, new LinuxSpawner(watcher, reaper, held), base);
                    machinery = mach;
                }
            }
        }
        return mach;
    }

    @Override
    public Containment containment() {
        return containment;
    }

    @Override
    public Optional<String> cgroupPath(ScopeKey key) {
        return cgroupBase.map(base -> sessionCgroup(key).toString());
    }

    @Override
    public SessionScope createScope(ScopeKey key) {
        if (cgroupBase.isPresent()) {
            return CgroupScope.create(sessionCgroup(key), m.reaper);
        }
        return new MarkerScope(key, m.reaper, m.reaper.isSubreaper());
    }

    @Override
    public SessionScope attachScope(ScopeKey key, Optional<String> cgroup, Optional<ProcessId> main) {
        MarkerScope marker = new MarkerScope(key, m.reaper, false); // a dead supervisor's: anywhere
        if (cgroup.isPresent() && Files.isDirectory(Path.of(cgroup.get()))) {
            AttachedScope both = new AttachedScope(new CgroupScope(Path.of(cgroup.get()), m.reaper), marker);
            main.ifPresent(both::bind);
            return both;
        }
        main.ifPresent(marker::bind);
        return marker;
    }

    @Override
    public boolean releaseInstance(String instanceId) {
        if (cgroupBase.isEmpty()) {
            return false;
        }
        Path dir = cgroupBase.get().resolve(Cgroups.INSTANCE_PREFIX + instanceId);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        return new CgroupScope(dir, m.reaper).isEmpty() && removeTree(dir);
    }

    @Override
    public boolean releaseDeadInstance(String instanceId) {
        if (cgroupBase.isEmpty()) {
            return false;
        }
        Path dir = cgroupBase.get().resolve(Cgroups.INSTANCE_PREFIX + instanceId);
        // The whole instance as one scope, stopped by the one stop algorithm without grace (the
        // instance is dead: everything in its cgroup is what it left), until the cgroup can be removed.
        CgroupScope all = new CgroupScope(dir, m.reaper);
        long deadline = System.nanoTime() + DEAD_RELEASE_LIMIT.toNanos();
        int killed = 0;
        while (Files.isDirectory(dir)) {
            StopAlgorithm.Outcome o = StopAlgorithm.run(all, Signal.KILL, new StopAlgorithm.Deadline(Duration.ZERO));
            killed += o.killed();
            if (o.survivors() == 0 && removeTree(dir)) {
                if (killed > 0) {
                    log.warn("killed {} process(es) still in the cgroup of dead supervisor {} after its sessions were stopped",
                            killed, instanceId);
                }
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                log.warn("cgroup {} of dead supervisor {} could not be emptied and removed", dir, instanceId);
                return false;
            }
        }
        return false; // removed meanwhile, by its guardian
    }

    private static boolean removeTree(Path dir) {
        try {
            for (Path cg : Cgroups.treeDeepestFirst(dir)) {
                Files.deleteIfExists(cg);
            }
            return true;
        } catch (java.io.IOException e) {
            return false; // still populated: reconciliation removes it later
        }
    }

    /** The held-spawn gate directories of the JVM with this pid (normally one while it runs, none after it). */
    public static List<Path> heldSpawnDirectories(long pid) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(HeldSpawns.base(),
                HeldSpawns.DIRECTORY_PREFIX + pid + "-*")) {
            List<Path> out = new ArrayList<>();
            dirs.forEach(out::add);
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Where the cgroup of a supervisor instance lives (or would live) on this machine, if cgroups are usable. */
    public static Optional<Path> instanceCgroup(String instanceId) {
        return machinery().cgroupBase.map(base -> base.resolve(Cgroups.INSTANCE_PREFIX + instanceId));
    }

    private Path sessionCgroup(ScopeKey key) {
        return cgroupBase.orElseThrow().resolve(Cgroups.INSTANCE_PREFIX + key.instanceId()).resolve(key.sessionId());
    }

    @Override
    public Guardian startGuardian(String instanceId) {
        Optional<Path> instanceCgroup = cgroupBase.map(base -> base.resolve(Cgroups.INSTANCE_PREFIX + instanceId));
        return new GuardianProcess(instanceId, instanceCgroup, m.spawner, m.reaper);
    }

    @Override
    public SpawnedProcess spawn(SpawnRequest request) {
        return m.spawner.spawn(request);
    }

    @Override
    public boolean signal(ProcessId target, Signal signal) {
        return Pidfds.signal(target, signal);
    }

    @Override
    public Optional<ProcessInfo> describe(long pid) {
        return ProcFs.describe(pid);
    }

    @Override
    public List<ProcessInfo> markedProcesses() {
        List<ProcessInfo> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (long pid : ProcFs.pids()) {
            if (pid != self && ProcFs.environValue(pid, ProcessSpec.SESSION_MARKER).isPresent()) {
                describe(pid).ifPresent(out::add);
            }
        }
        return out;
    }

    @Override
    public java.util.Set<String> guardedInstances() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (long pid : ProcFs.pids()) {
            ProcFs.environValue(pid, GuardianProcess.GUARDIAN_MARKER).ifPresent(out::add);
        }
        return out;
    }

    /** Whether this JVM is a child subreaper (orphans re-parent to it and are reaped here). */
    public boolean isSubreaper() {
        return m.reaper.isSubreaper();
    }

    /** Whether this kernel has pidfds (Linux 5.3+), tried on this process itself. */
    public static boolean pidfdSupported() {
        int fd = Pidfds.open(ProcessHandle.current().pid());
        if (fd < 0) {
            return false;
        }
        LibC.close(fd);
        return true;
    }

    /** The cgroup v2 mount point, if any (for diagnostics). */
    public static Optional<Path> cgroupMount() {
        return Cgroups.mountPoint();
    }

    /** This process's own cgroup v2 path, if any (for diagnostics). */
    public static Optional<String> ownCgroup() {
        return Cgroups.ownCgroup();
    }

    /** The glibc version, for diagnostics. */
    public static String glibcVersion() {
        return LibC.gnu_get_libc_version();
    }
}
