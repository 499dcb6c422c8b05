package loadtest

import (
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name string
		stat string
		want time.Duration
		ok   bool
	}{
		{"plain", "1234 (lcngw) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 9 0 100 0 0", 3250 * time.Millisecond, true},
		{"name with spaces and parens", "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 1 0 0", 30 * time.Millisecond, true},
		{"no parens", "7 lcngw R 1 7", 0, false},
		{"short", "7 (x) R 1 2 3", 0, false},
		{"not numbers", "7 (x) R 1 7 7 0 -1 0 0 0 0 0 a b 0", 0, false},
		{"negative", "7 (x) R 1 7 7 0 -1 0 0 0 0 0 -5 3 0", 0, false},
		{"overflowing", "7 (x) R 1 7 7 0 -1 0 0 0 0 0 99999999999 3 0", 0, false},
	}
	for _, tt := range tests {
		got, err := parseStatCPU([]byte(tt.stat))
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s: %v, %v; want %v (ok %v)", tt.name, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseMachine(t *testing.T) {
	stat := "cpu  100 5 50 1000 20 3 40 2 0 0\ncpu0 50 2 25 500 10 1 20 1 0 0\n"
	m, err := parseMachine([]byte(stat))
	if err != nil {
		t.Fatal(err)
	}
	// busy = user+nice+system+irq+softirq+steal = 100+5+50+3+40+2 ticks
	if m.Busy != 2000*time.Millisecond || m.Softirq != 400*time.Millisecond {
		t.Fatalf("busy %v softirq %v; want 2s and 400ms", m.Busy, m.Softirq)
	}
	if _, err := parseMachine([]byte("intr 1 2 3\n")); err == nil {
		t.Fatal("a stat without a cpu line was accepted")
	}
}

func TestStatusKB(t *testing.T) {
	status := []byte("Name:\tlcngw\nVmHWM:\t  20480 kB\nVmRSS:\t   10240 kB\n")
	if hwm, rss := statusKB(status, "VmHWM:"), statusKB(status, "VmRSS:"); hwm != 20480 || rss != 10240 {
		t.Fatalf("HWM %d RSS %d", hwm, rss)
	}
	if n := statusKB(status, "VmSwap:"); n != 0 {
		t.Fatalf("absent line read as %d", n)
	}
}

func TestReadProcSelf(t *testing.T) {
	s, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.RSS <= 0 || s.HWM < s.RSS {
		t.Fatalf("sample %+v: want a resident set and a peak at least as large", s)
	}
	if _, err := ReadMachine(); err != nil {
		t.Fatal(err)
	}
}

func TestUsageBetween(t *testing.T) {
	t0 := time.Unix(100, 0)
	a := Snapshot{At: t0, Procs: map[string]ProcSample{CompGateway: {CPU: time.Second}}, Machine: MachineSample{Busy: 10 * time.Second}}
	b := Snapshot{At: t0.Add(2 * time.Second), Procs: map[string]ProcSample{CompGateway: {CPU: 2 * time.Second, HWM: 64 << 20, RSS: 32 << 20}},
		Machine: MachineSample{Busy: 13 * time.Second, Softirq: time.Second}}
	u := UsageBetween(a, b)
	gw := u[CompGateway]
	if gw.CPUSeconds != 1 || gw.Cores != 0.5 || gw.MaxRSSMB != 64 || gw.RSSMB != 32 {
		t.Errorf("gateway usage %+v", gw)
	}
	if u[CompMachine].Cores != 1.5 || u[CompOther].CPUSeconds != 2 || u[CompSoftirq].Cores != 0.5 {
		t.Errorf("machine %+v other %+v softirq %+v", u[CompMachine], u[CompOther], u[CompSoftirq])
	}
}

// FuzzParseStatCPU checks the stat parser never panics and never reports
// a negative time.
func FuzzParseStatCPU(f *testing.F) {
	f.Add([]byte("1234 (lcngw) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 9 0 100 0 0"))
	f.Add([]byte("1 ()) R 1 1 1 1 1 1 1 1 1 1 -5 3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseStatCPU(b)
		if err == nil && d < 0 {
			t.Fatalf("negative CPU time %v from %q", d, b)
		}
	})
}

// FuzzParseMachine checks the /proc/stat parser never panics and never
// reports softirq time above the busy time it is part of.
func FuzzParseMachine(f *testing.F) {
	f.Add([]byte("cpu  100 5 50 1000 20 3 40 2 0 0\ncpu0 50 2 25 500 10 1 20 1 0 0\n"))
	f.Add([]byte("cpu 1 2 3 4 5 6 7\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseMachine(b)
		if err == nil && (m.Softirq < 0 || m.Busy < m.Softirq) {
			t.Fatalf("busy %v, softirq %v from %q", m.Busy, m.Softirq, b)
		}
	})
}
