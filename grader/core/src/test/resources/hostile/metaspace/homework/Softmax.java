package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile: fills the metaspace with classes it generates, each with 60,000 constants, and keeps every one
 * reachable.
 */
public final class Softmax implements Activation {
    static final List<Class<?>> HOARD = new ArrayList<>();

    public Softmax() {}

    /** A class file: a public class {@code name} extending Object, with {@code constants} integer constants. */
    static byte[] classFile(String name, int constants) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeInt(0xCAFEBABE);
        d.writeShort(0);
        d.writeShort(52);
        d.writeShort(5 + constants);
        d.writeByte(1);
        d.writeUTF(name);
        d.writeByte(7);
        d.writeShort(1);
        d.writeByte(1);
        d.writeUTF("java/lang/Object");
        d.writeByte(7);
        d.writeShort(3);
        for (int i = 0; i < constants; i++) {
            d.writeByte(3);
            d.writeInt(i * 31 + name.hashCode());
        }
        d.writeShort(0x0021);
        d.writeShort(2);
        d.writeShort(4);
        d.writeShort(0);
        d.writeShort(0);
        d.writeShort(0);
        d.writeShort(0);
        return bytes.toByteArray();
    }

    static final class Definer extends ClassLoader {
        Definer() {
            super(Softmax.class.getClassLoader());
        }

        Class<?> define(byte[] b) {
            return defineClass(null, b, 0, b.length);
        }
    }

    @Override
    public Matrix forward(Matrix z) {
        Definer definer = new Definer();
        try {
            for (int i = 0; ; i++) {
                HOARD.add(definer.define(classFile("Generated" + i, 60_000)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
