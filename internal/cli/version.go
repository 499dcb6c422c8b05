package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// linkedVersion is set at build time with
// -ldflags "-X github.com/lcngw/lcngw/internal/cli.linkedVersion=…".
var linkedVersion = ""

// version returns the build's version: the linker-set one, else the
// module version or VCS revision recorded by the Go toolchain.
func version() string {
	if linkedVersion != "" {
		return linkedVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}

func runVersion(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("version", stdio)
	if code, ok := parse(fl, args); !ok {
		return code
	}
	fmt.Fprintf(stdio.Out, "lcngw %s\n", version())
	return exitOK
}
