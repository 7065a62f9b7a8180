package dev.attnsim.actors.blocks.common.dram;

/**
 * The least distance in DRAM clocks from one command to a later one, by the pair of commands and
 * where the later one's bank lies (same bank group, same rank, other rank): DRAMSim3's {@code
 * Timing} tables ({@code timing.cc}), worked out once from a device's parameters. Both controller
 * models use them: {@link DramChannel} clock by clock, {@link TimedChannel} burst by burst.
 */
final class DramDelays {
  /** Clocks one burst holds the data bus. */
  final int burst;
  /** RL = AL + CL. */
  final int readLatency;
  /** WL = AL + CWL. */
  final int writeLatency;
  /** RL + burst: a read's column command to its data complete. */
  final int readDelay;
  /** Read to read: same bank group max(burst, tCCD_L), same rank max(burst, tCCD_S), other rank
   * burst + tRTRS. */
  final int readToReadL;
  final int readToReadS;
  final int readToReadO;
  /** Read to write in the same rank, RL + burst - WL + tRTRS. */
  final int readToWrite;
  /** Read to write in another rank. */
  final int readToWriteO;
  /** Read to precharge, AL + tRTP. */
  final int readToPrecharge;
  /** Read with auto-precharge to activate, AL + burst + tRTP + tRP. */
  final int readpToActivate;
  /** Read to activate (through a precharge), AL + tRTP + tRP. */
  final int readToActivate;
  /** Write to read: WL + burst + tWTR_L / tWTR_S; other rank WL + 2 burst + tRTRS - RL - burst. */
  final int writeToReadL;
  final int writeToReadS;
  final int writeToReadO;
  /** Write to write: max(burst, tCCD_L / tCCD_S); other rank burst. */
  final int writeToWriteL;
  final int writeToWriteS;
  final int writeToWriteO;
  /** Write to precharge, WL + burst + tWR. */
  final int writeToPrecharge;
  /** Write to activate (through a precharge). */
  final int writeToActivate;
  /** Activate to activate in another bank: tRRD_L (same group), tRRD_S. */
  final int activateToActivateL;
  final int activateToActivateS;
  /** Activate to activate in the same bank, tRAS + tRP. */
  final int tRc;

  /** Where a later command's bank lies from an earlier one's: {@link #between}'s relation. */
  static final int SAME_GROUP = 0;
  static final int SAME_RANK = 1;
  static final int OTHER_RANK = 2;

  /**
   * The least distance from a column command ({@code firstWrite}: WR, else RD) to a later one
   * ({@code secondWrite}) whose bank lies at {@code relation} from the first's.
   */
  int between(boolean firstWrite, boolean secondWrite, int relation) {
    if (firstWrite) {
      return secondWrite
          ? relation == SAME_GROUP ? writeToWriteL : relation == SAME_RANK ? writeToWriteS
              : writeToWriteO
          : relation == SAME_GROUP ? writeToReadL : relation == SAME_RANK ? writeToReadS
              : writeToReadO;
    }
    return secondWrite
        ? relation == OTHER_RANK ? readToWriteO : readToWrite
        : relation == SAME_GROUP ? readToReadL : relation == SAME_RANK ? readToReadS
            : readToReadO;
  }

  /** The largest of {@link #between}'s distances. */
  int longestBetween() {
    int m = 0;
    for (int r = 0; r < 3; r++) {
      m = Math.max(m, Math.max(Math.max(between(false, false, r), between(false, true, r)),
          Math.max(between(true, false, r), between(true, true, r))));
    }
    return m;
  }

  DramDelays(DramDevice dev) {
    DramDevice.Clocks t = dev.clocks();
    burst = dev.burstClocks();
    readLatency = t.readLatency();
    writeLatency = t.writeLatency();
    readDelay = readLatency + burst;
    int writeDelay = writeLatency + burst;
    boolean groups = dev.bankGroups() > 1; // one bank group: the _S values throughout
    readToReadS = Math.max(burst, t.tCcdS());
    readToReadL = groups ? Math.max(burst, t.tCcdL()) : readToReadS;
    readToReadO = burst + t.tRtrs();
    readToWrite = readLatency + burst - writeLatency + t.tRtrs();
    readToWriteO = readDelay + burst + t.tRtrs() - writeDelay;
    readToPrecharge = t.al() + t.tRtp();
    readpToActivate = t.al() + burst + t.tRtp() + t.tRp();
    readToActivate = readToPrecharge + t.tRp();
    writeToReadS = writeDelay + t.tWtrS();
    writeToReadL = groups ? writeDelay + t.tWtrL() : writeToReadS;
    writeToReadO = writeDelay + burst + t.tRtrs() - readDelay;
    writeToWriteS = Math.max(burst, t.tCcdS());
    writeToWriteL = groups ? Math.max(burst, t.tCcdL()) : writeToWriteS;
    writeToWriteO = burst;
    writeToPrecharge = writeLatency + burst + t.tWr();
    writeToActivate = writeToPrecharge + t.tRp();
    activateToActivateS = t.tRrdS();
    activateToActivateL = groups ? t.tRrdL() : t.tRrdS();
    tRc = t.tRas() + t.tRp();
  }
}
