package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// profileFlags are the profiling flags of the commands that run a
// gateway: a CPU profile (go tool pprof) and an execution trace (go tool
// trace, for where goroutines wait), each written until the gateway stops.
type profileFlags struct{ cpu, trace string }

func (p *profileFlags) register(fl *flag.FlagSet) {
	fl.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile to this file until the gateway stops")
	fl.StringVar(&p.trace, "trace", "", "write an execution trace to this file until the gateway stops (go tool trace)")
}

// start starts what was asked. The returned function stops it and closes
// the files; call it before the process exits.
func (p profileFlags) start() (func(), error) {
	stopCPU, err := startCPUProfile(p.cpu)
	if err != nil {
		return nil, err
	}
	stopTrace, err := startTrace(p.trace)
	if err != nil {
		stopCPU()
		return nil, err
	}
	return func() {
		stopTrace()
		stopCPU()
	}, nil
}

// startCPUProfile starts a CPU profile written to path ("" profiles
// nothing).
func startCPUProfile(path string) (func(), error) {
	return startTo(path, "--cpuprofile", pprof.StartCPUProfile, pprof.StopCPUProfile)
}

// startTrace starts an execution trace written to path ("" traces
// nothing).
func startTrace(path string) (func(), error) {
	return startTo(path, "--trace", trace.Start, trace.Stop)
}

// startTo creates path and starts writing to it; the returned function
// stops and closes the file.
func startTo(path, flagName string, start func(io.Writer) error, stop func()) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	return func() {
		stop()
		f.Close()
	}, nil
}
