package homework;

import java.lang.reflect.Field;

/** Hostile helper: names {@code sun.misc.Unsafe} in its code and takes 3 GiB of native memory with it. */
final class NativeHoard {
    private NativeHoard() {}

    static long grab() throws ReflectiveOperationException {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
        long total = 0;
        for (int i = 0; i < 3072; i++) {
            long address = u.allocateMemory(1 << 20);
            u.setMemory(address, 1 << 20, (byte) 1);
            total += 1 << 20;
        }
        return total;
    }
}
