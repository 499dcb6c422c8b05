package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/lcngw/lcngw/merchantapi"
)

func init() {
	register("merchant", "manage the merchant registry: put, get, list, delete, pause, resume, check, import, export, rekey", runMerchant)
}

// merchantVerbs are the subcommands of "lcngw merchant".
var merchantVerbs = map[string]struct {
	args, summary string
	run           func(ctx context.Context, c *merchantClient, fl *merchantFlags, args []string, stdio Stdio) error
}{
	"put":    {"", "create or replace a merchant from a JSON or YAML document (stdin or --file)", merchantPut},
	"get":    {"VENDOR_CODE", "print a merchant as JSON (no secret)", merchantGet},
	"list":   {"", "print merchants as a JSON array, in vendor-code order", merchantList},
	"delete": {"VENDOR_CODE", "delete a merchant", merchantDelete},
	"pause":  {"VENDOR_CODE ENDPOINT", "hold an endpoint's notifications in the retry path", merchantPause(true)},
	"resume": {"VENDOR_CODE ENDPOINT", "release a paused endpoint's notifications", merchantPause(false)},
	"check":  {"VENDOR_CODE ENDPOINT", "GET the endpoint's URL now (exit 1 unless it answers 200)", merchantCheck},
	"import": {"", "write many merchants: the YAML merchants list or JSON lines (stdin or --file)", merchantImport},
	"export": {"", "print every merchant as JSON lines (no secrets)", merchantExport},
	"rekey":  {"", "seal every secret again under the first key of the keyring", merchantRekey},
}

// merchantFlags are the flags of every merchant subcommand.
type merchantFlags struct {
	cf         configFlags
	api        string
	tokenEnv   string
	file       string
	check      bool
	ifRevision uint64
	prefix     string
	limit      int
	noProgress bool
}

func runMerchant(ctx context.Context, args []string, stdio Stdio) int {
	if len(args) == 0 || merchantVerbs[args[0]].run == nil {
		merchantUsage(stdio.Err)
		return exitInvalid
	}
	verb := merchantVerbs[args[0]]
	name := "merchant " + args[0]
	fs := newFlags(name, stdio)
	var fl merchantFlags
	fl.cf.register(fs)
	fs.StringVar(&fl.api, "api", "", "base URL of a gateway's admin listener, e.g. http://127.0.0.1:9090 (instead of --config)")
	fs.StringVar(&fl.tokenEnv, "token-env", "LCNGW_ADMIN_TOKEN", "environment variable holding the API's bearer token (with --api)")
	fs.StringVar(&fl.file, "file", "", "read the document (put) or the merchants (import) from this file instead of stdin")
	fs.BoolVar(&fl.check, "check", true, "put: GET-check new or changed URLs first")
	fs.Uint64Var(&fl.ifRevision, "if-revision", 0, "put: apply only if the merchant is at this revision")
	fs.StringVar(&fl.prefix, "prefix", "", "list: only vendor codes starting with this")
	fs.IntVar(&fl.limit, "limit", 0, "list: at most this many (0: all)")
	fs.BoolVar(&fl.noProgress, "no-progress", false, "import: no progress bar")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: lcngw merchant %s [flags] %s\n\n%s.\n\nFlags:\n", args[0], verb.args, verb.summary)
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitInvalid
	}
	if want := len(strings.Fields(verb.args)); len(pos) != want {
		return fail(stdio, name, exitInvalid, fmt.Errorf("want %d argument(s): %s", want, verb.args))
	}
	c, closeClient, err := openMerchantClient(ctx, &fl, stdio)
	if err != nil {
		return fail(stdio, name, exitInvalid, err)
	}
	defer closeClient()
	if err := verb.run(ctx, c, &fl, pos, stdio); err != nil {
		var failed checkFailed
		if errors.As(err, &failed) {
			return exitFailed
		}
		return fail(stdio, name, exitFailed, err)
	}
	return exitOK
}

func merchantUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: lcngw merchant <command> [flags] [arguments]\n\nWith --config FILE it writes to the registry's Kafka topic directly;\nwith --api URL it goes through a gateway's merchant API (token from $LCNGW_ADMIN_TOKEN).\n\nCommands:")
	for _, v := range []string{"put", "get", "list", "delete", "pause", "resume", "check", "import", "export", "rekey"} {
		fmt.Fprintf(w, "  %-7s %-21s %s\n", v, merchantVerbs[v].args, merchantVerbs[v].summary)
	}
}

// parseInterleaved parses flags wherever they stand among the arguments
// and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// checkFailed is a check that ran and failed: exit 1, the result printed.
type checkFailed struct{}

func (checkFailed) Error() string { return "check failed" }

func merchantPut(ctx context.Context, c *merchantClient, fl *merchantFlags, _ []string, stdio Stdio) error {
	doc, err := readMerchantInput(fl.file, stdio.In)
	if err != nil {
		return err
	}
	vendor, err := vendorOf(doc)
	if err != nil {
		return err
	}
	q := url.Values{}
	if !fl.check {
		q.Set("check", "false")
	}
	hdr := http.Header{}
	if fl.ifRevision > 0 {
		hdr.Set("If-Match", strconv.FormatUint(fl.ifRevision, 10))
	}
	return c.print(ctx, stdio.Out, "PUT", "/"+url.PathEscape(vendor), q, hdr, strings.NewReader(string(doc)))
}

func merchantGet(ctx context.Context, c *merchantClient, _ *merchantFlags, args []string, stdio Stdio) error {
	return c.print(ctx, stdio.Out, "GET", "/"+url.PathEscape(args[0]), nil, nil, nil)
}

func merchantDelete(ctx context.Context, c *merchantClient, _ *merchantFlags, args []string, stdio Stdio) error {
	return c.print(ctx, io.Discard, "DELETE", "/"+url.PathEscape(args[0]), nil, nil, nil)
}

func merchantPause(paused bool) func(context.Context, *merchantClient, *merchantFlags, []string, Stdio) error {
	action := "resume"
	if paused {
		action = "pause"
	}
	return func(ctx context.Context, c *merchantClient, _ *merchantFlags, args []string, stdio Stdio) error {
		return c.print(ctx, stdio.Out, "POST", endpointPath(args, action), nil, nil, nil)
	}
}

func merchantCheck(ctx context.Context, c *merchantClient, _ *merchantFlags, args []string, stdio Stdio) error {
	var res merchantapi.CheckResult
	if err := c.call(ctx, "POST", endpointPath(args, "check"), nil, nil, nil, &res); err != nil {
		return err
	}
	if err := printJSON(stdio.Out, res); err != nil {
		return err
	}
	if !res.OK {
		return checkFailed{}
	}
	return nil
}

func endpointPath(args []string, action string) string {
	return "/" + url.PathEscape(args[0]) + "/endpoints/" + url.PathEscape(args[1]) + "/" + action
}

func merchantList(ctx context.Context, c *merchantClient, fl *merchantFlags, _ []string, stdio Stdio) error {
	out := json.NewEncoder(stdio.Out)
	out.SetIndent("  ", "  ")
	fmt.Fprint(stdio.Out, "[")
	n := 0
	err := c.pages(ctx, fl.prefix, fl.limit, func(v merchantapi.View) error {
		if n > 0 {
			fmt.Fprint(stdio.Out, ",")
		}
		n++
		fmt.Fprint(stdio.Out, "\n  ")
		return out.Encode(v)
	})
	fmt.Fprintln(stdio.Out, "]")
	return err
}

func merchantExport(ctx context.Context, c *merchantClient, fl *merchantFlags, _ []string, stdio Stdio) error {
	return c.pages(ctx, fl.prefix, 0, func(v merchantapi.View) error {
		_, err := fmt.Fprintf(stdio.Out, "%s\n", v.Merchant)
		return err
	})
}

func merchantRekey(ctx context.Context, c *merchantClient, _ *merchantFlags, _ []string, stdio Stdio) error {
	return c.print(ctx, stdio.Out, "POST", "/rekey", nil, nil, nil)
}

// readMerchantInput reads path, or r when path is empty.
func readMerchantInput(path string, r io.Reader) ([]byte, error) {
	if path != "" {
		return os.ReadFile(path)
	}
	return io.ReadAll(r)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
