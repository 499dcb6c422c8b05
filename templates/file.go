package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/signer"
)

// MaxLayoutSize is the largest layout file accepted, in bytes. A layout of
// every documented parameter is a few kilobytes.
const MaxLayoutSize = 1 << 20

// layoutName is the shape of a layout name: it appears in configuration and
// in log lines, so it is short and free of spaces and markup.
var layoutName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// LoadLayout decodes one layout document, YAML or JSON (JSON is read as YAML
// flow style), with the keys name, kind (lcn or ipn) and params. Decoding is
// strict: an unknown or repeated key, a second document or an empty input is
// an error. LoadLayout checks what needs no catalogue (a valid name other
// than "default", a known kind, a non-empty list without blank names) and
// reports every such problem at once; parameter names are checked by
// [Layout.Validate].
func LoadLayout(r io.Reader) (Layout, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxLayoutSize+1))
	if err != nil {
		return Layout{}, fmt.Errorf("read layout: %w", err)
	}
	if len(data) > MaxLayoutSize {
		return Layout{}, fmt.Errorf("read layout: larger than %d bytes", MaxLayoutSize)
	}
	l, err := decodeLayout(data)
	if err != nil {
		return Layout{}, err
	}
	if err := l.check(); err != nil {
		return Layout{}, err
	}
	return l, nil
}

// LoadLayoutFile reads a layout from a regular file (symbolic links are
// followed) with [LoadLayout]. Errors name the path.
func LoadLayoutFile(path string) (Layout, error) {
	f, err := openRegular(path)
	if err != nil {
		return Layout{}, err
	}
	defer f.Close()
	l, err := LoadLayout(f)
	if err != nil {
		return Layout{}, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

func openRegular(path string) (*os.File, error) {
	// Check before opening: opening a FIFO blocks until a writer comes.
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open layout: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("open layout %s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open layout: %w", err)
	}
	return f, nil
}

func decodeLayout(data []byte) (Layout, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var l Layout
	if err := dec.Decode(&l); err != nil {
		if errors.Is(err, io.EOF) {
			return Layout{}, errors.New("decode layout: empty document")
		}
		return Layout{}, fmt.Errorf("decode layout: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Layout{}, errors.New("decode layout: more than one document")
	}
	return l, nil
}

// check reports the problems LoadLayout can see without a catalogue and
// normalises the kind to lower case.
func (l *Layout) check() error {
	var errs []error
	switch {
	case l.Name == "":
		errs = append(errs, errors.New("layout: name is required"))
	case l.Name == DefaultName:
		errs = append(errs, fmt.Errorf("layout %q: the name is reserved for the layout of every parameter", l.Name))
	case !layoutName.MatchString(l.Name):
		errs = append(errs, errors.New("layout: name must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"))
	}
	if k, ok := signer.ParseKind(l.Kind); ok {
		l.Kind = k.String()
	} else {
		errs = append(errs, fmt.Errorf("layout %q: kind must be lcn or ipn", l.Name))
	}
	if len(l.Params) == 0 {
		errs = append(errs, fmt.Errorf("layout %q: no parameters", l.Name))
	}
	for i, p := range l.Params {
		if p == "" {
			errs = append(errs, fmt.Errorf("layout %q: params[%d] is empty", l.Name, i))
		}
	}
	return errors.Join(errs...)
}
