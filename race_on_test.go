//go:build race

package gorgias

// raceEnabled: the race detector slows the exhaustive tests ~8×; they
// sample under it.
const raceEnabled = true
