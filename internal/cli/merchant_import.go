package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/merchantapi"
)

// merchantImport sends many merchants to the import route: JSON lines as
// they are, or the merchants of a YAML file (a configuration file or a
// bare list) with their secrets read here, from secret_env or secret_file.
func merchantImport(ctx context.Context, c *merchantClient, fl *merchantFlags, _ []string, stdio Stdio) error {
	lines, n, err := importLines(fl.file, stdio.In)
	if err != nil {
		return err
	}
	var body io.Reader = bytes.NewReader(lines)
	var bar *progressbar.ProgressBar
	if !fl.noProgress {
		bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(stdio.Err), progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("merchants"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		body = &lineCounter{r: body, bar: bar}
	}
	var res merchantapi.ImportResult
	err = c.call(ctx, "POST", "/import", nil, nil, body, &res)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	return printJSON(stdio.Out, res)
}

// importLines returns the merchants of the input as JSON lines and their
// number.
func importLines(path string, in io.Reader) ([]byte, int, error) {
	if path != "" && !strings.HasSuffix(path, ".jsonl") && !strings.HasSuffix(path, ".ndjson") {
		if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
			return yamlLines(path)
		}
	}
	data, err := readMerchantInput(path, in)
	if err != nil {
		return nil, 0, err
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] != '{' {
		return yamlFromBytes(data)
	}
	return data, bytes.Count(data, []byte("\n")) + 1, nil
}

// yamlFromBytes writes YAML read from stdin to a temporary file so that
// it loads as a file does (relative secret_file paths are relative to the
// working directory).
func yamlFromBytes(data []byte) ([]byte, int, error) {
	f, err := os.CreateTemp(".", ".lcngw-import-*.yaml")
	if err != nil {
		return nil, 0, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, 0, err
	}
	if err := f.Close(); err != nil {
		return nil, 0, err
	}
	return yamlLines(f.Name())
}

// yamlLines loads the merchants of a YAML file and renders each as a JSON
// line carrying its secret inline, for the import route only.
func yamlLines(path string) ([]byte, int, error) {
	ms, err := config.LoadMerchants(path, os.LookupEnv)
	if err != nil {
		return nil, 0, err
	}
	var out bytes.Buffer
	for i := range ms {
		line, err := documentWithSecret(&ms[i])
		if err != nil {
			return nil, 0, err
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes(), len(ms), nil
}

// documentWithSecret renders m's document with its secret inline.
func documentWithSecret(m *config.Merchant) ([]byte, error) {
	doc, err := config.MarshalDocument(m)
	if err != nil {
		return nil, err
	}
	if m.Key().IsZero() {
		return doc, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(doc, &fields); err != nil {
		return nil, err
	}
	secret, err := json.Marshal(string(m.Key().Reveal()))
	if err != nil {
		return nil, errors.New("merchant " + m.VendorCode + ": secret not encodable")
	}
	fields["secret"] = secret
	return json.Marshal(fields)
}

// lineCounter advances a progress bar by the lines read through it.
type lineCounter struct {
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if c := bytes.Count(p[:n], []byte("\n")); c > 0 {
		_ = l.bar.Add(c)
	}
	return n, err
}
