//go:build race

package rawjson

// raceEnabled: under the race detector, sync.Pool drops what it is given
// at random, so a pooled scratch space is allocated again now and then.
const raceEnabled = true
