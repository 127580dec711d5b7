package dev.latch.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * One person's browser: Debian's headless Chromium driven through chromedriver, with a fresh
 * profile, and security keys from Chromium's virtual authenticator (CTAP2, USB, resident keys,
 * user verification). Tests select elements by their {@code aria-label}, as people find them.
 */
public final class Browser implements AutoCloseable {

    /** The portal as the tests' browsers reach it (the configured public URL in tests). */
    public static final String BASE = "http://localhost:8081";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a browser; {@code LATCH_CHROMIUM} and {@code LATCH_CHROMEDRIVER} override the Debian paths. */
    public static Browser start() {
        try {
            // a short path: Chromium's singleton socket lives in the profile and Unix socket paths are capped near 107 bytes
            Path base = Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
            Path profile = Files.createTempDirectory(base, "lcr");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(env("LATCH_CHROMIUM", "/usr/bin/chromium"));
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-quic", "--window-size=1280,900", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(env("LATCH_CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
                    .usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a browser profile", e);
        }
    }

    /** Plugs in a new security key: a CTAP2 USB authenticator with resident keys and user verification. */
    public VirtualAuthenticator addSecurityKey() {
        return ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.USB)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    /**
     * Plugs in a key that is already registered: a new virtual authenticator holding the software
     * key's credential (same id, private key, user handle), as a person brings their YubiKey to a
     * new computer.
     */
    public VirtualAuthenticator plugIn(dev.latch.testing.SoftwareAuthenticator.Credential registered) {
        VirtualAuthenticator key = addSecurityKey();
        key.addCredential(org.openqa.selenium.virtualauthenticator.Credential.createResidentCredential(registered.id,
                registered.rpId, new java.security.spec.PKCS8EncodedKeySpec(registered.keys.getPrivate().getEncoded()),
                registered.userHandle, (int) registered.counter + 1));
        return key;
    }

    /** Unplugs a key. */
    public void removeSecurityKey(VirtualAuthenticator key) {
        ((HasVirtualAuthenticator) driver).removeVirtualAuthenticator(key);
    }

    public Browser open(String pathOrUrl) {
        driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : BASE + pathOrUrl);
        return this;
    }

    /** The element with this aria-label, once visible. */
    public WebElement byLabel(String ariaLabel) {
        return waitFor(By.cssSelector("[aria-label=\"" + ariaLabel.replace("\"", "\\\"") + "\"]"));
    }

    public WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public Browser click(String ariaLabel) {
        WebElement element = byLabel(ariaLabel);
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(element)).click();
        return this;
    }

    public Browser type(String ariaLabel, String text) {
        WebElement field = byLabel(ariaLabel);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    /** Waits until the element with this aria-label contains the text. */
    public Browser waitForText(String ariaLabel, String text) {
        By by = By.cssSelector("[aria-label=\"" + ariaLabel + "\"]");
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return this;
    }

    /** Waits until the address bar shows this path (with or without query). */
    public Browser waitForPath(String path) {
        new WebDriverWait(driver, WAIT).until(d -> {
            String url = d.getCurrentUrl();
            return url != null && (url.equals(BASE + path) || url.startsWith(BASE + path + "?"));
        });
        return this;
    }

    public Browser acceptConfirm() {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        return this;
    }

    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Lets downloads land in this directory, as a person's Downloads folder. */
    public Browser downloadsTo(Path directory) {
        driver.executeCdpCommand("Browser.setDownloadBehavior", java.util.Map.of("behavior", "allow",
                "downloadPath", directory.toAbsolutePath().toString()));
        return this;
    }

    /** Waits for a finished download whose name contains the text, and returns its path. */
    public Path awaitDownload(Path directory, String nameContains) {
        return new WebDriverWait(driver, WAIT).until(d -> {
            try (java.util.stream.Stream<Path> files = Files.list(directory)) {
                return files.filter(f -> f.getFileName().toString().contains(nameContains)
                        && !f.getFileName().toString().endsWith(".crdownload")).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
    }

    public Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Saves a screenshot and the page source under {@code name}; returns the PNG path. */
    public Path capture(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Path png = directory.resolve(name + ".png");
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
        Files.writeString(directory.resolve(name + ".html"), driver.getPageSource());
        return png;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile under target/ is harmless
        }
    }
}
