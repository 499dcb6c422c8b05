package receiver_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/signer"
)

// BenchmarkLoopback posts a signed 90-field LCN over keep-alive loopback
// HTTP from a net/http client to a server child process: a trivial server,
// the tuned reference receiver, and the receiver middleware (default, and
// with ReuseNotifications), on Fiber and on net/http. It reports the server's CPU per request (server-us/req), the
// client's (client-us/req), and requests per second.
func BenchmarkLoopback(b *testing.B) {
	body := signer.New(loopbackKey).AppendSignedForm(nil, loopbackFields(), signer.AllAlgorithms)
	for _, impl := range []string{"fiber", "nethttp"} {
		for _, variant := range []string{"trivial", "tuned", "receiver", "reused"} {
			b.Run(impl+"/"+variant, func(b *testing.B) { loopback(b, impl+"/"+variant, body) })
		}
	}
}

func loopback(b *testing.B, mode string, body []byte) {
	srv := startBenchServer(b, mode)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	post := func() {
		resp, err := client.Post(srv.url, "application/x-www-form-urlencoded", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	for range 200 {
		post() // warm up connections and pools
	}
	b.SetParallelism(64 / runtime.GOMAXPROCS(0))
	cpu0, self0 := procCPU(b, srv.pid), selfCPU()
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			post()
		}
	})
	b.StopTimer()
	elapsed := time.Since(start)
	n := float64(b.N)
	b.ReportMetric(float64(procCPU(b, srv.pid)-cpu0)/float64(time.Microsecond)/n, "server-us/req")
	b.ReportMetric(float64(selfCPU()-self0)/float64(time.Microsecond)/n, "client-us/req")
	b.ReportMetric(n/elapsed.Seconds(), "req/s")
}

func loopbackFields() signer.Fields { return fixture.Notification90(1) }

type benchServer struct {
	url string
	pid int
}

// startBenchServer starts the child, pinned when possible, and stops it
// when the benchmark ends.
func startBenchServer(b *testing.B, mode string) benchServer {
	b.Helper()
	args := []string{os.Args[0], "-test.run=^$"}
	if path, err := exec.LookPath("taskset"); err == nil && runtime.NumCPU() > 1 {
		args = append([]string{path, "-c", "0"}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), benchServerEnv+"="+mode, "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	return benchServer{url: "http://" + strings.TrimSpace(addr) + "/", pid: cmd.Process.Pid}
}

// procCPU returns a process's user+system CPU time from procfs.
func procCPU(b *testing.B, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)      // field 14 of stat
	stime, _ := strconv.ParseInt(fields[12], 10, 64)      // field 15
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
