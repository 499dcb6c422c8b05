// Package cputime reads the CPU time the process has used, for benchmarks
// that report it beside wall time: on a busy machine a benchmark waits for
// a core, which counts in its wall time but not in its CPU time.
package cputime

import (
	"syscall"
	"testing"
	"time"
)

// Process returns the user and system CPU time of the process so far.
func Process() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// Report makes b report the process's CPU time per iteration as
// cpu-ns/op, garbage collection included. Call it before the loop and
// defer the function it returns.
func Report(b *testing.B) func() {
	start, err := Process()
	if err != nil {
		b.Fatal(err)
	}
	return func() {
		end, err := Process()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}
