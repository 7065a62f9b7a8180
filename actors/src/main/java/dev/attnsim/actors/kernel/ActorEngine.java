package dev.attnsim.actors.kernel;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Akka Typed actor per block plus a {@link Synchronizer}, on a dispatcher of {@code
 * parallelism} threads. Gives the same trace as {@link SequentialEngine} whatever the thread count.
 */
public final class ActorEngine implements Engine {
  /** Default cap on how far one window may reach past the earliest pending event. */
  public static final long DEFAULT_MAX_WINDOW_CYCLES = 1 << 20;

  private final int parallelism;
  private final RunLimits limits;
  private final boolean tracing;
  private final long maxWindowCycles;
  private final java.util.concurrent.atomic.AtomicBoolean stop =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile long lastWindows;

  /** Threads the engine runs on. */
  int parallelism() {
    return parallelism;
  }

  public ActorEngine(int parallelism, RunLimits limits, boolean tracing) {
    this(parallelism, limits, tracing, DEFAULT_MAX_WINDOW_CYCLES);
  }

  public ActorEngine(int parallelism, RunLimits limits, boolean tracing, long maxWindowCycles) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    if (maxWindowCycles < 1) {
      throw new IllegalArgumentException("maxWindowCycles must be >= 1, got " + maxWindowCycles);
    }
    this.parallelism = parallelism;
    this.limits = limits;
    this.tracing = tracing;
    this.maxWindowCycles = maxWindowCycles;
  }

  @Override
  public String name() {
    return "actor";
  }

  @Override
  public RunResult run(Netlist netlist, TraceSink sink, ProgressListener progress) {
    List<BlockRunner> runners = runners(netlist);
    var result = new CompletableFuture<Synchronizer.Done>();
    var windows = new AtomicLong();
    // Logging initialised on this thread first: Akka's threads would otherwise log while SLF4J
    // initialises, and SLF4J replays their calls with three lines of warning on stderr.
    org.slf4j.LoggerFactory.getILoggerFactory();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      ActorRef<Synchronizer.Done> replyTo = ctx.spawn(Behaviors.receiveMessage(done -> {
        result.complete(done);
        return Behaviors.stopped();
      }), "result");
      ctx.spawn(behavior(netlist, runners, sink, progress, windows, replyTo), "synchronizer");
      return Behaviors.empty();
    }), "attnsim", akkaConfig());
    try {
      Synchronizer.Done done = result.get();
      lastWindows = windows.get();
      if (done.error() != null) {
        throw done.error();
      }
      return done.result();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The result is already in hand; a slow shutdown does not change it.
      }
    }
  }

  /**
   * The synchronizer of a run of {@code netlist}, which spawns one actor per block and reports to
   * {@code replyTo}: for running inside an existing actor system (tests use an ActorTestKit).
   */
  Behavior<Synchronizer.Command> behavior(Netlist netlist, List<BlockRunner> runners,
      TraceSink sink, ProgressListener progress, AtomicLong windows,
      ActorRef<Synchronizer.Done> replyTo) {
    return Synchronizer.create(netlist, runners, sink, progress, limits, maxWindowCycles, replyTo,
        windows, stop);
  }

  @Override
  public void requestStop() {
    stop.set(true);
  }

  /** Runners for every block of a frozen netlist. */
  List<BlockRunner> runners(Netlist netlist) {
    netlist.freeze();
    List<BlockRunner> runners = new ArrayList<>();
    for (int b = 0; b < netlist.blockCount(); b++) {
      runners.add(new BlockRunner(netlist, b, tracing));
    }
    return runners;
  }

  /** Synchronisation windows of the last run on this engine (a measure of its overhead). */
  public long windowsOfLastRun() {
    return lastWindows;
  }

  private Config akkaConfig() {
    var sb = new StringBuilder();
    for (String executor : new String[] {"fork-join-executor", "affinity-pool-executor"}) {
      String p = "akka.actor.default-dispatcher." + executor + ".";
      sb.append(p).append("parallelism-min = ").append(parallelism).append('\n')
          .append(p).append("parallelism-max = ").append(parallelism).append('\n')
          .append(p).append("parallelism-factor = 1.0\n");
    }
    // No JVM shutdown hooks of Akka's: attnsim's own hook (Ctrl-C) stops the run, and an actor
    // system terminating while the JVM shuts down must not try to add one (whatever order the
    // fat jar's concatenated reference.conf puts Akka's defaults in).
    sb.append("akka.jvm-shutdown-hooks = off\n")
        .append("akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n");
    return ConfigFactory.parseString(sb.toString()).withFallback(ConfigFactory.load());
  }
}
