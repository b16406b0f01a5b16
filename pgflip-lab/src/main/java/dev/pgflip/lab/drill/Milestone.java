package dev.pgflip.lab.drill;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A timeline entry with the number it carries on the chart and in the timeline table. Labels of events a few
 * milliseconds apart would overlap on the chart, so the chart shows numbers and the table below names them.
 */
record Milestone(int number, RunResult.TimelineEntry entry) {

    /** The run's timeline ordered by time (unmeasured entries last, in their original order), numbered from 1. */
    static List<Milestone> numbered(List<RunResult.TimelineEntry> timeline) {
        List<RunResult.TimelineEntry> ordered = new ArrayList<>(timeline == null ? List.of() : timeline);
        ordered.sort(Comparator.comparing(RunResult.TimelineEntry::atMs, Comparator.nullsLast(Comparator.naturalOrder())));
        List<Milestone> milestones = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            milestones.add(new Milestone(i + 1, ordered.get(i)));
        }
        return milestones;
    }

    /**
     * Lanes for markers at increasing positions: each marker takes the first lane whose last marker is at least
     * {@code minGap} to its left, so markers never overlap and most stay in lane 0.
     */
    static int[] lanes(double[] sortedPositions, double minGap) {
        int[] lanes = new int[sortedPositions.length];
        List<Double> laneEnds = new ArrayList<>();
        for (int i = 0; i < sortedPositions.length; i++) {
            int lane = 0;
            while (lane < laneEnds.size() && sortedPositions[i] - laneEnds.get(lane) < minGap) {
                lane++;
            }
            if (lane == laneEnds.size()) {
                laneEnds.add(sortedPositions[i]);
            } else {
                laneEnds.set(lane, sortedPositions[i]);
            }
            lanes[i] = lane;
        }
        return lanes;
    }
}
