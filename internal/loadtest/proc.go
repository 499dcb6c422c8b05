package loadtest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Launcher starts lcngw subcommands as child processes, so that each
// component's CPU and memory can be read from procfs on its own.
type Launcher struct {
	// Exe is the lcngw executable; default os.Executable().
	Exe string
	// Env is added to the children's environment.
	Env []string
	// LogDir receives each child's standard error (and standard output
	// when it is not read), one file per child; default a discard.
	LogDir string
}

// Child is one started process.
type Child struct {
	// Name labels the child in logs and errors.
	Name string
	cmd  *exec.Cmd
	log  string // path of the log file ("" without one)
	done chan struct{}
	err  error // Wait's result, set before done closes
}

// Start runs the executable with args. onStdout, when set, reads the
// child's standard output until it closes; env adds to the environment.
func (l Launcher) Start(name string, args, env []string, onStdout func(io.Reader)) (*Child, error) {
	exe := l.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(append(inheritedEnv(), l.Env...), env...)
	// The child dies with the harness, so an aborted run leaves no broker
	// or gateway behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	logw, logPath, closeLog, err := l.logFile(name)
	if err != nil {
		return nil, err
	}
	cmd.Stderr = logw
	var stdout io.ReadCloser
	if onStdout == nil {
		cmd.Stdout = logw
	} else if stdout, err = cmd.StdoutPipe(); err != nil {
		closeLog()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := cmd.Start(); err != nil {
		closeLog()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &Child{Name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go c.wait(stdout, onStdout, closeLog)
	return c, nil
}

// inheritedEnv is the harness's environment without lcngw's own
// variables: a child must not pick up, say, $LCNGW_KAFKA_BROKERS and
// reach a real cluster instead of the run's broker.
func inheritedEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LCNGW_") {
			out = append(out, kv)
		}
	}
	return out
}

// logFile opens the log of a child: a new file in LogDir named after it.
func (l Launcher) logFile(name string) (io.Writer, string, func(), error) {
	if l.LogDir == "" {
		return io.Discard, "", func() {}, nil
	}
	f, err := os.CreateTemp(l.LogDir, name+"-*.log")
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s log: %w", name, err)
	}
	return f, f.Name(), func() { f.Close() }, nil
}

// LogTail returns the last n lines of the child's log.
func (c *Child) LogTail(n int) string {
	if c.log == "" {
		return ""
	}
	b, err := os.ReadFile(c.log)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// wait reads standard output to its end, then reaps the process.
func (c *Child) wait(stdout io.Reader, onStdout func(io.Reader), closeLog func()) {
	if stdout != nil {
		onStdout(stdout)
		_, _ = io.Copy(io.Discard, stdout)
	}
	c.err = c.cmd.Wait()
	closeLog()
	close(c.done)
}

// Pid returns the process ID.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// Done is closed once the process has exited and been reaped.
func (c *Child) Done() <-chan struct{} { return c.done }

// Err returns how the process ended (nil for exit status 0); valid after Done.
func (c *Child) Err() error { return c.err }

// Signal sends sig; a process that already exited is not an error.
func (c *Child) Signal(sig os.Signal) error {
	if err := c.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal %s: %w", c.Name, err)
	}
	return nil
}

// Kill sends SIGKILL and waits for the process to be reaped.
func (c *Child) Kill() {
	_ = c.Signal(syscall.SIGKILL)
	<-c.done
}

// Stop sends SIGTERM and waits up to grace for the exit, then kills. It
// returns how long the exit took and an error when the process had to be
// killed or exited with a failure.
func (c *Child) Stop(grace time.Duration) (time.Duration, error) {
	start := time.Now()
	if err := c.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	select {
	case <-c.done:
		if c.err != nil {
			return time.Since(start), fmt.Errorf("%s exited after SIGTERM: %w", c.Name, c.err)
		}
		return time.Since(start), nil
	case <-time.After(grace):
		c.Kill()
		return time.Since(start), fmt.Errorf("%s did not exit within %v of SIGTERM; killed", c.Name, grace)
	}
}

// Sample returns the process's CPU time and memory: from procfs while it
// runs, from its resource usage once reaped.
func (c *Child) Sample() ProcSample {
	select {
	case <-c.done:
		st := c.cmd.ProcessState
		s := ProcSample{CPU: st.UserTime() + st.SystemTime()}
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			s.HWM = ru.Maxrss * 1024
		}
		return s
	default:
	}
	s, err := ReadProc(c.Pid())
	if err != nil { // exited between the check and the read
		<-c.done
		return c.Sample()
	}
	return s
}

// Component is one role of a run (broker, gateway, receivers) across the
// processes that played it: a restarted gateway is one component.
type Component struct {
	// Name is the role.
	Name string
	mu   sync.Mutex
	runs []*Child
}

// Add records a (new) process of the component.
func (c *Component) Add(ch *Child) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runs = append(c.runs, ch)
}

// Current returns the latest process, nil before the first.
func (c *Component) Current() *Child {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.runs) == 0 {
		return nil
	}
	return c.runs[len(c.runs)-1]
}

// Sample sums the CPU time of every process of the component; RSS is the
// current process's and HWM the peak of all.
func (c *Component) Sample() ProcSample {
	c.mu.Lock()
	runs := append([]*Child(nil), c.runs...)
	c.mu.Unlock()
	var s ProcSample
	for i, ch := range runs {
		p := ch.Sample()
		s.CPU += p.CPU
		s.HWM = max(s.HWM, p.HWM)
		if i == len(runs)-1 {
			s.RSS = p.RSS
		}
	}
	return s
}

// Restarts returns how many processes followed the first.
func (c *Component) Restarts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return max(len(c.runs)-1, 0)
}
