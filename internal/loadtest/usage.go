package loadtest

import (
	"context"
	"math"
	"os"
	"time"
)

// Component names in snapshots and usage reports.
const (
	CompBroker    = "broker"
	CompGateway   = "gateway"
	CompEndpoints = "endpoints"
	CompHarness   = "harness" // producer, collector and ceiling sender
	CompMachine   = "machine" // every CPU's busy time, processes or not
	CompSoftirq   = "softirq" // the machine's softirq time (loopback TCP)
	CompOther     = "other"   // machine − the processes above
)

// Snapshot is every component's CPU time and memory at one moment.
type Snapshot struct {
	At      time.Time
	Procs   map[string]ProcSample
	Machine MachineSample
}

// Snapshot samples every component of the stack, the harness itself and
// the machine.
func (s *Stack) Snapshot() Snapshot {
	snap := Snapshot{At: time.Now(), Procs: map[string]ProcSample{
		CompBroker:    s.BrokerProc.Sample(),
		CompGateway:   s.GatewayProc.Sample(),
		CompEndpoints: s.EndpointsProc.Sample(),
	}}
	if self, err := ReadProc(os.Getpid()); err == nil {
		snap.Procs[CompHarness] = self
	}
	snap.Machine, _ = ReadMachine()
	return snap
}

// Usage is what one component used between two snapshots.
type Usage struct {
	// CPUSeconds is user+system time; Cores is CPUSeconds per wall second.
	CPUSeconds float64 `json:"cpu_s"`
	Cores      float64 `json:"cores"`
	// MaxRSSMB is the peak resident set (VmHWM) of the component's
	// processes so far; RSSMB the resident set at the end.
	MaxRSSMB float64 `json:"max_rss_mb"`
	RSSMB    float64 `json:"rss_mb"`
}

// UsageBetween returns each component's usage from a to b, and the
// machine's busy time, softirq time and the busy time of other processes.
func UsageBetween(a, b Snapshot) map[string]Usage {
	wall := b.At.Sub(a.At).Seconds()
	out := map[string]Usage{}
	var procs float64
	for name, pb := range b.Procs {
		cpu := (pb.CPU - a.Procs[name].CPU).Seconds()
		procs += cpu
		out[name] = Usage{CPUSeconds: round(cpu, 3), Cores: round(cpu/wall, 3), MaxRSSMB: mb(pb.HWM), RSSMB: mb(pb.RSS)}
	}
	busy := (b.Machine.Busy - a.Machine.Busy).Seconds()
	soft := (b.Machine.Softirq - a.Machine.Softirq).Seconds()
	out[CompMachine] = Usage{CPUSeconds: round(busy, 3), Cores: round(busy/wall, 3)}
	out[CompSoftirq] = Usage{CPUSeconds: round(soft, 3), Cores: round(soft/wall, 3)}
	other := max(busy-procs, 0)
	out[CompOther] = Usage{CPUSeconds: round(other, 3), Cores: round(other/wall, 3)}
	return out
}

func mb(b int64) float64 { return round(float64(b)/(1<<20), 1) }

// round rounds x to n decimals; NaN and infinities become 0.
func round(x float64, n int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	p := math.Pow(10, float64(n))
	return math.Round(x*p) / p
}

// WaitQuiet waits, up to limit, for a second in which the machine's busy
// time outside the run's processes stays below threshold cores (the
// machine may be shared). It returns the last second's load and whether
// it was below the threshold.
func (s *Stack) WaitQuiet(ctx context.Context, limit time.Duration, threshold float64) (float64, bool) {
	deadline := time.Now().Add(limit)
	prev := s.Snapshot()
	for {
		select {
		case <-ctx.Done():
			return 0, false
		case <-time.After(time.Second):
		}
		snap := s.Snapshot()
		other := UsageBetween(prev, snap)[CompOther].Cores
		if other < threshold || time.Now().After(deadline) {
			return other, other < threshold
		}
		prev = snap
	}
}
