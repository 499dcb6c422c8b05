// Package selfexec lets a test binary play lcngw's child processes
// (broker, gateway, endpoints), so tests of the benchmark and the
// fault-injection scenarios need no separately built binary: the test
// binary starts itself with an environment variable set, and its TestMain
// then runs the lcngw command line instead of the tests.
package selfexec

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lcngw/lcngw/internal/benchcli"
	"github.com/lcngw/lcngw/internal/cli"
	"github.com/lcngw/lcngw/internal/loadtest"
)

// childEnv marks a test binary started as an lcngw child process.
const childEnv = "LCNGW_SELFEXEC_CHILD"

// Main is the body of TestMain: it runs the lcngw command line given as
// arguments when the binary was started by Launcher, the tests otherwise.
func Main(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := benchcli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// Launcher returns a launcher that starts this test binary as lcngw, with
// the children's logs in dir.
func Launcher(dir string) loadtest.Launcher {
	return loadtest.Launcher{Env: []string{childEnv + "=1"}, LogDir: dir}
}

// LogTail logs the last lines of every child log in dir; call it when a
// test fails.
func LogTail(t testing.TB, dir string, lines int) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		t.Logf("--- %s (last %d lines)\n%s", filepath.Base(p), lines, strings.Join(all[max(len(all)-lines, 0):], "\n"))
	}
}
