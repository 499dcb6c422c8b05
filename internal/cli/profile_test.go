package cli

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProfileFlags writes a CPU profile and an execution trace around some
// work and checks each file is what its tool reads: gzip for pprof, the
// trace header for go tool trace.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	p := profileFlags{cpu: filepath.Join(dir, "cpu.pprof"), trace: filepath.Join(dir, "exec.trace")}
	stop, err := p.start()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(nil)
	for end := time.Now().Add(50 * time.Millisecond); time.Now().Before(end); {
		sum = sha256.Sum256(sum[:])
	}
	stop()
	for _, c := range []struct{ path, prefix string }{{p.cpu, "\x1f\x8b"}, {p.trace, "go 1."}} {
		b, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(c.prefix)) {
			t.Errorf("%s starts with %q, want %q", filepath.Base(c.path), b[:min(len(b), 8)], c.prefix)
		}
	}
}

func TestProfileFlagsNothingAsked(t *testing.T) {
	stop, err := profileFlags{}.start()
	if err != nil {
		t.Fatal(err)
	}
	stop()
}

func TestProfileFlagsBadPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no", "such", "dir")
	for _, p := range []profileFlags{{cpu: filepath.Join(missing, "cpu")}, {trace: filepath.Join(missing, "trace")}} {
		_, err := p.start()
		want := "--cpuprofile"
		if p.trace != "" {
			want = "--trace"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("start(%+v) = %v, want an error naming %s", p, err, want)
		}
	}
}
