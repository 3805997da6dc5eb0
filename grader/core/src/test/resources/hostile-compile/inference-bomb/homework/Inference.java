package homework;

/**
 * Twenty generic calls, each inside a conditional inside the next: javac infers the type of every call once per
 * way of reading the conditionals around it, which grows about 1.6-fold per level. Four levels take seconds,
 * twelve take minutes, twenty would take days. 500 bytes.
 */
final class Inference {
    static <T> T id(T t) {
        return t;
    }

    static boolean b;

    static Object v = id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(
            b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? null : id(null)) : id(null)) : id(null)) : id(null))
            : id(null)) : id(null)) : id(null)) : id(null)) : id(null)) : id(null)) : id(null)) : id(null)) : id(null))
            : id(null)) : id(null)) : id(null)) : id(null)) : id(null)) : id(null)) : id(null));
}
