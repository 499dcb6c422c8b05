package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

func init() {
	register("build", "turn an event (JSON on stdin) into a signed notification body", runBuild)
	register("example", "print a complete example event", runExample)
	register("params", "print the parameter catalogue of a notification kind", runParams)
}

// kindFlag parses --kind.
func kindFlag(s string) (signer.Kind, error) {
	k, ok := signer.ParseKind(s)
	if !ok {
		return 0, fmt.Errorf("--kind must be lcn or ipn, not %q", s)
	}
	return k, nil
}

func catalogueOf(k signer.Kind) *param.Catalogue {
	if k == signer.KindIPN {
		return ipn.Catalogue()
	}
	return lcn.Catalogue()
}

// buildEvent decodes, validates and builds one event of kind k.
func buildEvent(k signer.Kind, data []byte, layout *templates.Layout, zone string) (signer.Fields, error) {
	loc, err := param.ParseLocation(zone)
	if err != nil {
		return nil, err
	}
	if k == signer.KindIPN {
		ev, err := ipn.Decode(data)
		if err != nil {
			return nil, err
		}
		return ipn.Build(ev, ipn.Options{Layout: layout, Location: loc}) // validates the event too
	}
	ev, err := lcn.Decode(data)
	if err != nil {
		return nil, err
	}
	if err := ev.Validate(); err != nil { // lcn.Build expects a validated event
		return nil, err
	}
	return lcn.Build(ev, lcn.Options{Layout: layout, Location: loc})
}

func loadLayout(path string, k signer.Kind) (*templates.Layout, error) {
	if path == "" {
		return nil, nil
	}
	l, err := templates.LoadLayoutFile(path)
	if err != nil {
		return nil, err
	}
	if l.Kind != "" && l.Kind != k.String() {
		return nil, fmt.Errorf("layout %q is for %s, not %s", l.Name, l.Kind, k)
	}
	if err := l.Validate(catalogueOf(k)); err != nil {
		return nil, err
	}
	return &l, nil
}

// runBuild: event JSON in → signed form body out.
func runBuild(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("build", stdio)
	var sec secretFlags
	sec.register(fl, false)
	kind := fl.String("kind", "", "notification kind: lcn or ipn (required)")
	layoutPath := fl.String("layout", "", "layout file (YAML or JSON); default: every documented parameter")
	algos := fl.String("algos", "md5,sha256,sha3-256", "signatures to append (comma-separated)")
	zone := fl.String("time-zone", "", "merchant time zone (IANA name or a fixed offset such as GMT+02:00); default Europe/Bucharest")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	k, err := kindFlag(*kind)
	if err != nil {
		return fail(stdio, "build", exitInvalid, err)
	}
	key, err := sec.key()
	if err != nil {
		return fail(stdio, "build", exitInvalid, err)
	}
	set, err := signer.ParseAlgorithms(*algos)
	if err != nil {
		return fail(stdio, "build", exitInvalid, err)
	}
	layout, err := loadLayout(*layoutPath, k)
	if err != nil {
		return fail(stdio, "build", exitInvalid, err)
	}
	data, err := readInput(stdio)
	if err != nil {
		return fail(stdio, "build", exitInvalid, err)
	}
	fs, err := buildEvent(k, data, layout, *zone)
	if err != nil {
		return fail(stdio, "build", exitInvalid, err)
	}
	// The body is written byte-exact, with no trailing newline, so it can
	// be piped straight into curl --data-binary @-.
	stdio.Out.Write(signer.New(key).AppendSignedForm(nil, fs, set))
	return exitOK
}

// runExample prints an example event.
func runExample(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("example", stdio)
	kind := fl.String("kind", "", "notification kind: lcn or ipn (required)")
	reason := fl.String("reason", "", "LCN only: an example for this DISPATCH_REASON")
	name := fl.String("name", "", "a named example (see --list); default: the complete one")
	list := fl.Bool("list", false, "list the example names")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	k, err := kindFlag(*kind)
	if err != nil {
		return fail(stdio, "example", exitInvalid, err)
	}
	if *list {
		names := lcn.ExampleNames()
		if k == signer.KindIPN {
			names = ipn.ExampleNames()
		}
		fmt.Fprintln(stdio.Out, strings.Join(names, "\n"))
		return exitOK
	}
	data, err := example(k, *name, *reason)
	if err != nil {
		return fail(stdio, "example", exitInvalid, err)
	}
	stdio.Out.Write(data)
	if len(data) > 0 && data[len(data)-1] != '\n' {
		fmt.Fprintln(stdio.Out)
	}
	return exitOK
}

func example(k signer.Kind, name, reason string) ([]byte, error) {
	switch {
	case k == signer.KindIPN && reason != "":
		return nil, fmt.Errorf("--reason applies to LCN examples only")
	case k == signer.KindIPN:
		return ipn.Example(name)
	case reason != "" && name != "":
		return nil, fmt.Errorf("give --reason or --name, not both")
	case reason != "":
		return lcn.ExampleForReason(reason)
	}
	return lcn.Example(name)
}

// runParams prints the catalogue as a table.
func runParams(_ context.Context, args []string, stdio Stdio) int {
	fl := newFlags("params", stdio)
	kind := fl.String("kind", "", "notification kind: lcn or ipn (required)")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	k, err := kindFlag(*kind)
	if err != nil {
		return fail(stdio, "params", exitInvalid, err)
	}
	fmt.Fprint(stdio.Out, catalogueOf(k).Table())
	return exitOK
}
