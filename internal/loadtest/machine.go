package loadtest

import (
	"bytes"
	"os"
	"runtime"
	"strings"
)

// Machine describes where a run was measured.
type Machine struct {
	// NProc is the number of CPUs the runtime sees (nproc).
	NProc int `json:"nproc"`
	// GOMAXPROCS is the harness's setting; children inherit GOMAXPROCS
	// from the environment when it is set there.
	GOMAXPROCS int `json:"gomaxprocs"`
	// CPUModel is the "model name" of the first CPU in /proc/cpuinfo.
	CPUModel string `json:"cpu_model"`
	// MemTotalMB is the installed memory.
	MemTotalMB int64 `json:"mem_total_mb"`
	// Kernel is the kernel release.
	Kernel string `json:"kernel"`
	// GoVersion is the toolchain that built the binary.
	GoVersion string `json:"go_version"`
	// OS and Arch are the target platform.
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

// ThisMachine returns the description of the machine the harness runs on;
// facts procfs does not offer are left empty.
func ThisMachine() Machine {
	m := Machine{
		NProc:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPUModel = fieldValue(b, "model name")
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemTotalMB = statusKB(b, "MemTotal:") / 1024
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// fieldValue returns the value of the first "name : value" line.
func fieldValue(b []byte, name string) string {
	for line := range bytes.Lines(b) {
		k, v, ok := bytes.Cut(line, []byte{':'})
		if ok && string(bytes.TrimSpace(k)) == name {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}
