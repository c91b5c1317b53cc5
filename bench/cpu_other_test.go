//go:build !unix

package bench

import "time"

// processCPU reports nothing where getrusage is missing.
func processCPU() (time.Duration, bool) { return 0, false }
