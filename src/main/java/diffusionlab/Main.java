package diffusionlab;

import diffusionlab.cli.AbuseBenchCommand;
import diffusionlab.cli.Args;
import diffusionlab.cli.BenchCommand;
import diffusionlab.cli.LiveBenchCommand;
import diffusionlab.cli.ScaleBenchCommand;
import diffusionlab.cli.ServeCommand;
import diffusionlab.cli.TrainCommand;
import diffusionlab.cli.UsageException;

/** The one jar: {@code serve} (the default), {@code train}, {@code bench}, {@code bench-live}, {@code bench-abuse}, {@code bench-scale}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        if (Launcher.needsRelaunch()) {
            System.exit(Launcher.relaunch(argv));
        }
        Launcher.exitWithParent();
        String command = argv.length > 0 && !argv[0].startsWith("-") ? argv[0] : "serve";
        String[] rest = argv.length > 0 && !argv[0].startsWith("-")
                ? java.util.Arrays.copyOfRange(argv, 1, argv.length) : argv;
        try {
            Args args = Args.parse(rest);
            int code = switch (command) {
                case "serve" -> ServeCommand.run(args);
                case "train" -> TrainCommand.run(args);
                case "bench" -> BenchCommand.run(args);
                case "bench-live" -> LiveBenchCommand.run(args);
                case "bench-abuse" -> AbuseBenchCommand.run(args);
                case "bench-scale" -> ScaleBenchCommand.run(args);
                case "help", "--help" -> {
                    System.out.println(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("command", "unknown command '" + command
                        + "'; use serve, train, bench, bench-live, bench-abuse or bench-scale");
            };
            if (code != 0 || !command.equals("serve")) {
                System.exit(code);
            }
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    static final String USAGE = """
            usage: java -jar target/diffusion-lab.jar [serve] [--port N] [--role all|web|worker]
                   java -jar target/diffusion-lab.jar train --dataset swiss_roll --objective ddpm_simple \\
                        --schedule sigmoid --timesteps 100 --beta-start 1e-5 --beta-end 1e-2 \\
                        --steps 79000 --batch-size 128 --seed 1 --samples out.csv [--n-samples 10000] \\
                        [--sampler ancestral|ddim|dpm_solver_2m|langevin|euler|heun] [--sample-steps N] [--weights ema|raw] [--preset ID]
                   java -jar target/diffusion-lab.jar bench [--steps N] [--objectives a,b]
                   java -jar target/diffusion-lab.jar bench-live [--viewers 30] [--steps 40000] [--preset ID]
                   java -jar target/diffusion-lab.jar bench-abuse [--seconds 60] [--viewers 10] [--server-jar JAR]
                   DATABASE_URL=... java -jar target/diffusion-lab.jar bench-scale [--runs 8] [--steps 30000] \\
                        [--viewers 30] [--seconds 30] [--preset ID]
            Every run-config field (see README) is accepted in kebab-case; train --objective flow_matching
            --reflow-from RUN_ID reflows a finished run of the store in DATA_DIR (or DATABASE_URL).""";
}
