package dev.portcullis.gate.decisions;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.h2.tools.Server;

/**
 * Runs a real H2 TCP server for the outage test; the service connects to it over the network so
 * that stopping the server is a real failure of the real connection.
 */
public class H2TcpServerResource implements QuarkusTestResourceLifecycleManager {

    static final String DB = "decisions-outage";
    /** H2 2.x only accepts a remote shutdown with the server's management password. */
    static final String MANAGEMENT_PASSWORD = "outage-test";

    private int port;

    /**
     * The port, chosen once per JVM and shared through a system property (the profile and the
     * resource may live in different class loaders). The datasource settings are returned by the
     * profile's config overrides, which — unlike test-resource config — win over the
     * {@code -Dquarkus.datasource.*} system properties of the PostgreSQL CI run.
     */
    static synchronized int port() {
        String p = System.getProperty("portcullis.test.decisions.h2-port");
        if (p == null) {
            try (ServerSocket s = new ServerSocket(0)) {
                p = Integer.toString(s.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty("portcullis.test.decisions.h2-port", p);
        }
        return Integer.parseInt(p);
    }

    static Map<String, String> datasourceConfig() {
        return Map.of(
                "quarkus.datasource.db-kind", "h2",
                "quarkus.datasource.jdbc.url", url(port()),
                "quarkus.datasource.username", "portcullis",
                "quarkus.datasource.password", "");
    }

    @Override
    public Map<String, String> start() {
        port = port();
        try {
            startServer(port);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return datasourceConfig();
    }

    static String url(int port) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + DB;
    }

    static Server startServer(int port) throws SQLException {
        String baseDir = Path.of("target", "h2-tcp").toAbsolutePath().toString();
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                return Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists", "-tcpPassword",
                        MANAGEMENT_PASSWORD, "-baseDir", baseDir)
                        .start();
            } catch (SQLException e) {
                // the previous server may still be releasing the port
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static void stopServer(int port) {
        try {
            Server.shutdownTcpServer("tcp://127.0.0.1:" + port, MANAGEMENT_PASSWORD, true, false);
        } catch (SQLException e) {
            // already stopped
        }
        // the shutdown is asynchronous: wait until the port refuses connections and sessions are closed
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                Thread.sleep(50);
            } catch (IOException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        stopServer(port);
    }
}
