package dev.tether.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code tether --version}: the build's version and the JVM it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/tether-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "tether " + version(),
            "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
                    + " (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")"
        };
    }
}
