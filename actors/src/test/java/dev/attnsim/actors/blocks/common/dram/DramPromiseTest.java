package dev.attnsim.actors.blocks.common.dram;

import static dev.attnsim.actors.blocks.common.dram.ScriptedRequester.Req.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnsim.actors.blocks.common.PromiseLog;
import dev.attnsim.actors.kernel.ActorEngine;
import dev.attnsim.actors.kernel.Netlist;
import dev.attnsim.actors.kernel.ProgressListener;
import dev.attnsim.actors.kernel.RunLimits;
import dev.attnsim.actors.kernel.RunResult;
import dev.attnsim.actors.kernel.RunStatus;
import dev.attnsim.actors.kernel.SequentialEngine;
import dev.attnsim.actors.kernel.TraceSink;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controller's lookahead ({@link DramController#quietUntil}): what it promises after each
 * event, on {@link DramControllerTest}'s small device (RL + burst = 14 clocks, clocked with the
 * accelerator). The kernel aborts a run whose block breaks a promise, so every DRAM test is also
 * a check that the promise holds; these pin how far ahead it reaches.
 */
class DramPromiseTest {

  private static List<String> run(boolean actor, int requestDepth,
      List<ScriptedRequester.Req> script) {
    return run(DramModel.DRAMSIM3, actor, requestDepth, script);
  }

  static List<String> run(DramModel model, boolean actor, int requestDepth,
      List<ScriptedRequester.Req> script) {
    var dram = new PromiseLog(model.controller(1,
        DramTiming.sameClock(DramControllerTest.SMALL), DramControllerTest.NO_REFRESH));
    var requester = new ScriptedRequester(script);
    var net = new Netlist().add("dram", dram).add("r0", requester)
        .connect("r0.req", "dram.req0", 1, requestDepth)
        .connect("dram.resp0", "r0.resp", 1, 16);
    RunResult r = (actor ? new ActorEngine(2, RunLimits.DEFAULT, false)
        : new SequentialEngine(RunLimits.DEFAULT, false))
        .run(net, TraceSink.NONE, ProgressListener.NONE);
    assertEquals(RunStatus.OK, r.status(), r.problems().toString());
    return dram.log;
  }

  /**
   * One read to an idle bank (DramControllerTest: added at 1, ACT 2, RD 8, complete 22). Before
   * anything arrives it promises never to emit; with the request on its link, the cycle it may
   * take it (1: a credit may leave at once); once the burst is queued, the next tick (the ACT at
   * 2) + 14 = 16; after the ACT, the RD's clock 8 + 14 = 22, exactly when the response leaves
   * (also after the wake-up at 18 that reports the data bus busy); after the response, never
   * again (the response's credit returns at 24).
   */
  @Test
  void aLoneReadIsPromisedFromItsNextCommand() {
    assertEquals(List.of("0:never", "0:never", "1:1", "1:16", "2:22", "8:22", "18:22",
        "22:never", "24:never", "24:never"), run(false, 16, List.of(read(0, 0, 64))));
  }

  /**
   * Three reads of one row on a link of one credit: each request after the first arrives while
   * the link was full (at 3 and 5) and, until the controller takes it, the promise is no later
   * than that cycle (3:3, 5:4): a credit may leave at once. Taken, the promise is back to the
   * first read's completion (22), then each hit's: RD at 14 and 20 (tCCD_L 6), complete 28 and
   * 34. Both engines ask the same questions and get the same answers.
   */
  @Test
  void aRequestWaitingOnItsLinkHoldsThePromiseToItsIntake() {
    var script = List.of(read(0, 0, 64), read(0, 64, 64), read(0, 128, 64));
    var promises = run(false, 1, script);
    assertEquals(List.of("0:never", "0:never", "1:1", "1:16", "2:22", "3:3", "3:22", "5:4",
        "5:22", "8:22", "8:22", "8:22", "14:22", "20:22", "22:28", "24:28", "24:28", "28:34",
        "28:34", "30:34", "30:34", "34:never", "34:never", "36:never", "36:never"), promises);
    assertEquals(promises, run(true, 1, script));
  }
}
