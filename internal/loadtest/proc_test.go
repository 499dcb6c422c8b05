package loadtest

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChildLifecycle runs real processes: the output is read, SIGTERM
// stops a process that honours it, CPU time and peak memory are read
// while it runs and after it is reaped, and a component sums its runs.
func TestChildLifecycle(t *testing.T) {
	dir := t.TempDir()
	l := Launcher{Exe: "/bin/sh", LogDir: dir}
	lines := make(chan string, 1)
	t.Setenv("LCNGW_KAFKA_BROKERS", "kafka.example:9092")
	script := `trap 'exit 0' TERM; echo "started ${LCNGW_KAFKA_BROKERS:-none} $X"; while :; do :; done`
	ch, err := l.Start("spin", []string{"-c", script}, []string{"X=1"}, func(r io.Reader) {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-lines; got != "started none 1" {
		t.Fatalf("first line %q; want the lcngw variables of the harness left out and X passed", got)
	}
	time.Sleep(300 * time.Millisecond)
	running := ch.Sample()
	if running.RSS <= 0 || running.CPU <= 0 {
		t.Fatalf("running sample %+v: want CPU time and a resident set", running)
	}
	took, err := ch.Stop(5 * time.Second)
	if err != nil || took > 5*time.Second {
		t.Fatalf("Stop: %v after %v", err, took)
	}
	reaped := ch.Sample()
	if reaped.CPU < running.CPU || reaped.HWM <= 0 {
		t.Fatalf("reaped sample %+v, running %+v", reaped, running)
	}
	var comp Component
	comp.Add(ch)
	comp.Add(ch)
	if s := comp.Sample(); s.CPU != 2*reaped.CPU || comp.Restarts() != 1 || comp.Current() != ch {
		t.Fatalf("component sample %+v, restarts %d", s, comp.Restarts())
	}
}

func TestChildKilledAndLogged(t *testing.T) {
	dir := t.TempDir()
	l := Launcher{Exe: "/bin/sh", LogDir: dir}
	ch, err := l.Start("stubborn", []string{"-c", `trap '' TERM; echo to-the-log >&2; sleep 30`}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := ch.Stop(200 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Stop of a process ignoring SIGTERM: %v", err)
	}
	<-ch.Done()
	logs, _ := filepath.Glob(filepath.Join(dir, "stubborn-*.log"))
	if len(logs) != 1 {
		t.Fatalf("logs %v", logs)
	}
	if b, _ := os.ReadFile(logs[0]); !strings.Contains(string(b), "to-the-log") {
		t.Fatalf("log holds %q", b)
	}
	if _, err := (Launcher{Exe: filepath.Join(dir, "missing")}).Start("x", nil, nil, nil); err == nil {
		t.Fatal("a missing executable started")
	}
}

func TestThisMachine(t *testing.T) {
	m := ThisMachine()
	if m.NProc < 1 || m.GoVersion == "" || m.CPUModel == "" || m.MemTotalMB <= 0 || m.Kernel == "" {
		t.Fatalf("machine %+v", m)
	}
}
