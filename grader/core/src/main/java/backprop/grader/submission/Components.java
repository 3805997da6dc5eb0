package backprop.grader.submission;

import backprop.api.Matrix;
import backprop.api.Optimizer;
import backprop.api.ReversePass;
import backprop.grader.graph.Op;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes of one submission (a student's or the reference), found by name in package {@code homework}
 * and created once each. A class that is missing, does not implement its contract, fails to construct or never
 * finishes constructing becomes a {@link StudentFault} for every check that needs it, not for the rest; so does
 * a method that once did not return within the call limit.
 */
public final class Components {
    /** The class that implements {@link ReversePass}. */
    public static final String REVERSE_PASS = "Backprop";
    /** The class that implements {@link Optimizer}. */
    public static final String OPTIMIZER = "Sgd";

    private final String label;
    private final ClassLoader loader;
    private final Map<String, Object> instances = new HashMap<>();
    private final Map<String, StudentFault> faults = new HashMap<>();
    private final Components base;
    private final Map<String, Hang> hung = new ConcurrentHashMap<>();
    private volatile Duration callLimit = CallGuard.configuredLimit();

    private Components(String label, ClassLoader loader, Components base) {
        this.label = label;
        this.loader = loader;
        this.base = base;
    }

    /**
     * The compiled classes (a folder or a jar) at {@code classes}, in a class loader of their own that sees only
     * the JDK and the contracts. It lives here, away from the compiler ({@code javax.tools}), because the child
     * JVM, whose runtime holds {@code java.base} alone, loads submissions with it.
     */
    public static Components load(String label, Path classes) {
        try {
            URL[] urls = {classes.toUri().toURL()};
            return new Components(label, new URLClassLoader(label, urls, new ContractsOnly()));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(classes.toString(), e);
        }
    }

    /** Looks classes up in {@code loader}; {@code label} names the submission in messages. */
    public Components(String label, ClassLoader loader) {
        this(label, loader, null);
    }

    /**
     * These components with one op's implementation replaced by the grader's own {@code impl}: the grader swaps in
     * a ReLU of a chosen convention to learn which gradients are valid at a kink.
     */
    public Components withOp(Op op, Object impl) {
        if (!op.contract().isInstance(impl)) {
            throw new IllegalArgumentException(impl.getClass() + " does not implement " + op.contract());
        }
        Components c = new Components(label, loader, this);
        c.instances.put(op.simpleClassName(), impl);
        return c;
    }

    /** A short name for the submission, such as {@code "reference"} or a student id. */
    public String label() {
        return label;
    }

    /** Returns the instance implementing an op, or throws the fault that prevents it. */
    public Object op(Op op) {
        return get(op.simpleClassName(), op.contract());
    }

    /** Returns the reverse pass, or throws the fault that prevents it. */
    public ReversePass reversePass() {
        return (ReversePass) get(REVERSE_PASS, ReversePass.class);
    }

    /** Returns the optimizer, or throws the fault that prevents it. */
    public Optimizer optimizer() {
        return (Optimizer) get(OPTIMIZER, Optimizer.class);
    }

    private Object get(String simpleName, Class<?> contract) {
        synchronized (this) {
            Object o = instances.get(simpleName);
            if (o != null) {
                return o;
            }
            StudentFault known = faults.get(simpleName);
            if (known != null) {
                throw known;
            }
        }
        if (base != null) {
            return base.get(simpleName, contract);
        }
        // Loading and constructing run the submission's code (a static initialiser, a constructor): under the call
        // limit, and outside this object's lock, so that one that never returns holds up nothing else.
        CallGuard.Done<Object> made = CallGuard.run(this, "new " + simpleName + "()",
                () -> create(simpleName, contract));
        synchronized (this) {
            if (made.thrown() instanceof StudentFault f) {
                faults.putIfAbsent(simpleName, f);
                throw faults.get(simpleName);
            }
            if (made.thrown() instanceof RuntimeException e) {
                throw e;
            }
            if (made.thrown() instanceof Error e) {
                throw e;
            }
            instances.putIfAbsent(simpleName, made.value());
            return instances.get(simpleName);
        }
    }

    private Object create(String simpleName, Class<?> contract) {
        String name = Op.PACKAGE + "." + simpleName;
        try {
            Class<?> c = Class.forName(name, true, loader);
            if (!contract.isAssignableFrom(c)) {
                throw new StudentFault("class " + name + " does not implement " + contract.getName());
            }
            return c.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new StudentFault("missing class " + name);
        } catch (NoClassDefFoundError e) {
            String needs = String.valueOf(e.getMessage()).replace('/', '.');
            throw new StudentFault(needs.equals(name) ? "missing class " + name
                    : "class " + name + " uses " + needs + ", which a submission cannot use (only backprop.api and "
                            + "the JDK)");
        } catch (NoSuchMethodException e) {
            throw new StudentFault("class " + name + " needs a public constructor without arguments");
        } catch (InvocationTargetException e) {
            throw StudentFault.from(e.getCause(), "new " + simpleName + "()");
        } catch (ExceptionInInitializerError e) {
            throw StudentFault.from(e.getCause(), "static initialiser of " + simpleName);
        } catch (StudentFault e) {
            throw e;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw StudentFault.from(e, "loading " + name);
        }
    }

    /** The time limit of each call into this submission's code ({@link CallGuard}). */
    public Duration callLimit() {
        return callLimit;
    }

    /** A parent class loader that shows the JDK and the contracts, and hides everything else. */
    private static final class ContractsOnly extends ClassLoader {
        private static final String API = Matrix.class.getPackageName() + ".";

        ContractsOnly() {
            super("contracts-only", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(API)) {
                return Matrix.class.getClassLoader().loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
    /** Sets the time limit of each call into this submission's code; zero runs calls without one. */
    public Components withCallLimit(Duration limit) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("a negative time limit: " + limit);
        }
        this.callLimit = limit;
        return this;
    }

    /**
     * Why a call to {@code method} must not be made, or null: a call to it hung earlier. Within the unit of work
     * where it hung ({@link CallGuard#supervise}), which runs again after the hang, the calls made before the one
     * that hung are made again, that one fails with the hang's message, and later ones are skipped.
     */
    StudentFault refusal(String method, Object unit, int index) {
        if (hung.isEmpty()) {
            return null;
        }
        Hang h = hung.get(method);
        if (h == null) {
            return null;
        }
        if (unit != null && h.unit() == unit) {
            if (index < h.index()) {
                return null;
            }
            if (index == h.index()) {
                return h.fault();
            }
        }
        return new StudentFault("skipped: " + method + " hung earlier (it was " + h.where() + ")");
    }

    /**
     * Remembers that the {@code index}-th call to {@code method} in a run of {@code unit} hung, {@code where} (the
     * top of its stack, {@code at Relu.java:17 (Relu.forward)}).
     */
    void markHung(String method, StudentFault fault, String where, Object unit, int index) {
        hung.merge(method, new Hang(fault, where, unit, index), (old, now) -> old.unit() == unit
                && index < old.index() ? now : old);
    }

    private record Hang(StudentFault fault, String where, Object unit, int index) {}

}
