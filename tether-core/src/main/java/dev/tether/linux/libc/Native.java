package dev.tether.linux.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * FFM plumbing shared by the raw bindings: symbol lookup, downcall linking, and errno captured
 * per call into a per-thread state segment (never a shared static buffer, which threads would
 * overwrite for each other).
 */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    /** One capture segment per thread, alive as long as the thread needs it. */
    private static final ThreadLocal<MemorySegment> CALL_STATE = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

    private Native() {}

    static Optional<MemorySegment> find(String symbol) {
        return LIBC.find(symbol);
    }

    /** Links a function that does not report through errno. */
    static MethodHandle link(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + symbol));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    /** Links a function whose failures set errno; the handle takes the call-state segment first. */
    static MethodHandle linkWithErrno(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return link(symbol, descriptor, all);
    }

    /** Links only when the symbol exists (e.g. glibc-version-dependent functions). */
    static Optional<MethodHandle> linkOptional(String symbol, FunctionDescriptor descriptor) {
        return find(symbol).map(address -> LINKER.downcallHandle(address, descriptor));
    }

    static MemorySegment callState() {
        return CALL_STATE.get();
    }

    /** errno as captured right after the last errno-reporting call on this thread. */
    static int lastErrno() {
        return (int) ERRNO.get(CALL_STATE.get(), 0L);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    static final java.lang.foreign.AddressLayout C_POINTER = ValueLayout.ADDRESS;
}
