package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operations console at {@code /} in Debian's headless Chromium: it takes the token, lists the
 * hosts, and shows a deploy made through the API reach SUCCEEDED from the event stream.
 */
class ConsoleIT extends LabServiceTest {

  @LocalServerPort int port;

  @Test
  void theConsoleShowsADeployReachSucceededLive() throws Exception {
    ChromeOptions options =
        new ChromeOptions()
            .setBinary("/usr/bin/chromium")
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1400,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    ChromeDriver browser = new ChromeDriver(service, options);
    String vm = "it-console";
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      browser.get("http://127.0.0.1:" + port + "/");
      browser.findElement(By.id("token")).sendKeys(Api.OPERATOR_TOKEN);
      browser.findElement(By.id("connect")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "connected"));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("host-" + SINGLE)));
      assertThat(browser.findElement(By.id("host-" + SINGLE)).getText()).contains("ONLINE");

      api.deploy(SINGLE, Guests.template(vm, 1));
      By succeeded = By.cssSelector("tr[data-vm='" + vm + "'][data-phase='SUCCEEDED']");
      wait.until(ExpectedConditions.presenceOfElementLocated(succeeded));
      assertThat(browser.findElement(succeeded).getText()).contains("DEPLOY", SINGLE);
      Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, Path.of("target/console.png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.quit();
      api.remove(vm);
    }
  }
}
