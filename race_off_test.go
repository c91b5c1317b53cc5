//go:build !race

package gorgias

const raceEnabled = false
