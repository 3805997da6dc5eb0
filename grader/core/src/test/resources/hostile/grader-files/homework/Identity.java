package homework;

import backprop.api.Activation;
import backprop.api.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Hostile: looks for the grader's own files: the repository (its path is filled in by the test), the home
 * folders and their Maven repository (which holds the reference's jar once it is installed), and the work
 * folders of other submissions (the classes of the student graded in the other slot), through the host's
 * temporary folder and through {@code /proc}. When it finds one, forward throws and names it. A correct
 * identity otherwise.
 */
public final class Identity implements Activation {
    public Identity() {}

    static List<String> found() {
        List<String> got = new ArrayList<>();
        List<Path> places = new ArrayList<>(List.of(Path.of("@@REPO_DIR@@"), Path.of("@@REPO_DIR@@/assignments"),
                Path.of("/root"), Path.of("/home"), Path.of("/root/.m2/repository"), Path.of("/proc/1/root/root"),
                Path.of("/proc/1/root/home")));
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            s.filter(p -> p.getFileName().toString().startsWith("grader-batch-")).forEach(places::add);
        } catch (IOException e) {
            // no host /tmp: good
        }
        for (Path p : places) {
            try (Stream<Path> s = Files.list(p)) {
                List<String> names = s.map(x -> x.getFileName().toString()).filter(n -> !n.startsWith("hs_err"))
                        .toList();
                if (!names.isEmpty()) {
                    got.add(p + " " + names.subList(0, Math.min(3, names.size())));
                }
            } catch (IOException | RuntimeException e) {
                // not there, or not readable: good
            }
        }
        return got;
    }

    @Override
    public Matrix forward(Matrix z) {
        List<String> got = found();
        if (!got.isEmpty()) {
            throw new IllegalStateException("found " + got);
        }
        return z;
    }

    @Override
    public Matrix backward(Matrix z, Matrix h, Matrix dLdh) {
        return dLdh;
    }
}
