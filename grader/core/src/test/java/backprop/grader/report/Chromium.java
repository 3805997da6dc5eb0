package backprop.grader.report;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver: the browser a TA opens the class report in.
 * Both are found on the {@code PATH} (or given with {@code -Dchromium.binary=…} and {@code -Dchromedriver=…});
 * Selenium is never asked to fetch a browser or a driver of its own. A machine without them fails the test with
 * the command that installs them.
 */
final class Chromium {
    static final String INSTALL = "headless Chromium and its driver are needed for the class report's browser "
            + "test: apt-get install chromium chromium-driver (.ci/run installs them)";

    private Chromium() {}

    /** Starts a headless browser with an empty profile in {@code profile}, its console logged. */
    static ChromeDriver start(Path profile) throws IOException {
        Path browser = find("chromium.binary", "chromium", "chromium-browser", "google-chrome")
                .orElseGet(() -> fail(INSTALL + " (no chromium on the PATH, or -Dchromium.binary is not a program)"));
        Path driver = find("chromedriver", "chromedriver")
                .orElseGet(() -> fail(INSTALL + " (no chromedriver on the PATH, or -Dchromedriver is not a program)"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        // As root Chromium refuses to start without --no-sandbox; the other flags keep it off a closed network
        // (background requests, component updates, sync) and away from a GPU the machine does not have.
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox");
        }
        options.addArguments("--headless=new", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--disable-extensions", "--window-size=1280,2000", "--user-data-dir=" + Files.createDirectories(
                        profile).toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        // An alert must stay open for the test to see it, not be dismissed by the next command.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> find(String property, String... names) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        List<String> dirs = List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator));
        return Stream.of(names).flatMap(n -> dirs.stream().map(d -> Path.of(d, n))).filter(Files::isExecutable)
                .findFirst();
    }
}
