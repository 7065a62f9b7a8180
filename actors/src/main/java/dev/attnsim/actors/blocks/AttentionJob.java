package dev.attnsim.actors.blocks;

/**
 * One query block of one head travelling through a lane's attention path (detection, selection,
 * scheduling, SDDMM, softmax, SpMM).
 *
 * @param kvResident whether the head's K and V are in the lane's SRAM (else rows are fetched)
 * @param kvAddress DRAM address of the head's K and V rows when they are not resident
 */
public record AttentionJob(int layer, int head, int q0, int rows, boolean kvResident,
    long kvAddress) {}
