package loadtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in procfs; 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// maxTicks bounds a CPU time read (about 21 years), so that converting a
// sum of a few of them to a time.Duration cannot overflow.
const maxTicks = 1 << 36

// ticks converts clock ticks to a duration.
func ticks(t int64) time.Duration { return time.Duration(t) * (time.Second / clockTicks) }

// ProcSample is what procfs tells about one process at one moment.
type ProcSample struct {
	// CPU is user plus system time since the process started.
	CPU time.Duration
	// RSS is the resident set now, HWM its peak so far, in bytes.
	RSS, HWM int64
}

// ReadProc samples the process pid from procfs.
func ReadProc(pid int) (ProcSample, error) {
	var s ProcSample
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, fmt.Errorf("procfs: %w", err)
	}
	if s.CPU, err = parseStatCPU(stat); err != nil {
		return s, err
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, fmt.Errorf("procfs: %w", err)
	}
	s.RSS, s.HWM = statusKB(status, "VmRSS:")*1024, statusKB(status, "VmHWM:")*1024
	return s, nil
}

// parseStatCPU returns utime+stime from the content of /proc/<pid>/stat.
// The command name may contain spaces and parentheses, so fields are
// counted from the last ')'.
func parseStatCPU(stat []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("procfs: malformed stat")
	}
	f := strings.Fields(string(stat[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, errors.New("procfs: short stat")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil || u < 0 || s < 0 || u > maxTicks || s > maxTicks {
		return 0, errors.New("procfs: malformed CPU times")
	}
	return ticks(u + s), nil
}

// statusKB returns the value in kB of a "Name:   123 kB" line, 0 if absent.
func statusKB(status []byte, name string) int64 {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// MachineSample is the machine-wide CPU time from /proc/stat.
type MachineSample struct {
	// Busy is all CPU time that was not idle or waiting for I/O, summed
	// over the CPUs; Softirq is the part spent in softirqs (loopback TCP).
	Busy, Softirq time.Duration
}

// ReadMachine samples /proc/stat.
func ReadMachine() (MachineSample, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return MachineSample{}, fmt.Errorf("procfs: %w", err)
	}
	return parseMachine(b)
}

func parseMachine(b []byte) (MachineSample, error) {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	f := strings.Fields(string(line))
	if len(f) < 8 || f[0] != "cpu" {
		return MachineSample{}, errors.New("procfs: malformed /proc/stat")
	}
	var t [10]int64
	for i := 1; i < len(f) && i <= len(t); i++ {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil || n < 0 || n > maxTicks {
			return MachineSample{}, errors.New("procfs: malformed /proc/stat")
		}
		t[i-1] = n
	}
	// user nice system idle iowait irq softirq steal guest guest_nice;
	// guest time is already counted in user.
	busy := t[0] + t[1] + t[2] + t[5] + t[6] + t[7]
	return MachineSample{Busy: ticks(busy), Softirq: ticks(t[6])}, nil
}
