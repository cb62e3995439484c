package dev.portcullis.rego.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code portcullis} — compiles Rego to OPA-ABI Wasm bundles, evaluates and inspects them.
 * Exit codes: 0 ok; 1 policy evaluation failed; 2 usage error, unreadable or malformed input,
 * or compile error.
 */
@Command(
        name = "portcullis",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Compile Rego policies to OPA-compatible WebAssembly bundles, evaluate and inspect them.",
        subcommands = {BuildCommand.class, EvalCommand.class, InspectCommand.class, TestCommand.class, SignCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 policy evaluation failed, 2 usage error / bad input / compile error."})
public final class Main implements Runnable {

    public static final int OK = 0;
    public static final int EVAL_FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (build, eval, test, inspect or sign)");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        int code = commandLine(o, e).execute(args);
        o.flush();
        e.flush();
        return code;
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CliException ce) {
                commandLine.getErr().println("error: " + ce.getMessage());
                return ce.exitCode();
            }
            commandLine.getErr().println("error: internal error: " + ex);
            return EVAL_FAILED;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            }
            return USAGE;
        });
        return cl;
    }

    /** A failure with a message for the user and an exit code. */
    static final class CliException extends RuntimeException {
        private final int exitCode;

        CliException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        CliException(int exitCode, String message, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"portcullis " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
