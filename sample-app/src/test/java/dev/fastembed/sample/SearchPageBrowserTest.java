package dev.fastembed.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search page in a real browser: headless Chromium from the Debian packages (chromium, chromium-driver),
 * driven by Selenium through the system chromedriver. Both paths are given explicitly, so Selenium Manager
 * never runs (and never downloads). Screenshots go to target/search-page.png and
 * target/search-page-hybrid-rerank.png.
 */
class SearchPageBrowserTest extends RunningSampleApp {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
    static final Path SCREENSHOT = Path.of("target", "search-page.png");
    static final Path SCREENSHOT_RERANK = Path.of("target", "search-page-hybrid-rerank.png");

    private Path profile;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws IOException {
        assertThat(CHROMEDRIVER).as("chromedriver (Debian package chromium-driver; scripts/setup.sh installs it)")
                .isExecutable();
        assertThat(CHROMIUM).as("Chromium (Debian package chromium; scripts/setup.sh installs it)").isExecutable();
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-").toAbsolutePath();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + profile, "--window-size=1100,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void searchFromThePageShowsRankedResultsWithScores() throws IOException {
        browser.get(url("/"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "documents"));
        assertThat(browser.getTitle()).isEqualTo("FastEmbed search");
        assertThat(browser.findElement(By.id("status")).getText()).contains("bge-small-en-v1.5").contains("384");

        WebElement query = browser.findElement(By.id("query"));
        query.sendKeys("why does the ocean rise and fall along the shore twice daily");
        browser.findElement(By.id("search-button")).click();

        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#results .hit"), 0));
        List<WebElement> hits = browser.findElements(By.cssSelector("#results .hit"));
        assertThat(hits).hasSize(5);
        assertThat(hits.getFirst().findElement(By.className("title")).getText()).isEqualTo("Why the sea has tides");
        assertThat(hits.getFirst().findElement(By.className("source")).getText()).isEqualTo("tides.txt");
        List<Double> scores = hits.stream()
                .map(hit -> Double.parseDouble(hit.findElement(By.className("score")).getText())).toList();
        assertThat(scores).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(scores.getFirst()).isBetween(0.3, 1.0);
        assertThat(browser.findElement(By.id("summary")).getText()).startsWith("5 results for").contains("dense");

        File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SCREENSHOT)).isPositive();
    }

    @Test
    void hybridAndRerankFromThePageShowEveryScore() throws IOException {
        browser.get(url("/"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("rerank")));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("hybrid")));
        browser.findElement(By.id("query")).sendKeys("what makes a mountain explode and spew ash");
        browser.findElement(By.id("rerank")).click();
        browser.findElement(By.id("hybrid")).click();
        browser.findElement(By.id("search-button")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "hybrid+rerank"));
        List<WebElement> hits = browser.findElements(By.cssSelector("#results .hit"));
        assertThat(hits).hasSize(5);
        assertThat(hits).allSatisfy(hit -> assertThat(hit.findElement(By.className("scores")).getText())
                .contains("dense").contains("rerank").contains("sparse"));
        File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), SCREENSHOT_RERANK, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anEmptyQueryShowsTheProblemDetail() {
        browser.get(url("/"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "documents"));
        // The input is required; a query of spaces passes the browser's check and reaches the API.
        browser.findElement(By.id("query")).sendKeys("   ");
        browser.findElement(By.id("search-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("The query q is empty");
        assertThat(browser.findElements(By.cssSelector("#results .hit"))).isEmpty();
    }
}
