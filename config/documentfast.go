package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/param"
)

// DecodeMerchantJSON decodes a merchant document that MarshalDocument
// wrote, many times faster than DecodeMerchant: the JSON is read by
// encoding/json and handed to the merchant's YAML decoding as a node tree,
// skipping the YAML parser. It is lenient where DecodeMerchant is strict:
// an unknown key is ignored, so that records written by a later version
// still load. Use DecodeMerchant for documents from people.
func DecodeMerchantJSON(data []byte) (Merchant, error) {
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return Merchant{}, fmt.Errorf("merchant document: %w", err)
	}
	var m Merchant
	if err := nodeOf(tree).Decode(&m); err != nil {
		return Merchant{}, fmt.Errorf("merchant document: %w", err)
	}
	m.loc = cachedLocation(m.TimeZone)
	return m, nil
}

// locations caches parsed time zones: registries hold many merchants and
// few zones.
var locations sync.Map // zone text -> *time.Location

// cachedLocation parses a time zone once; nil when it is invalid.
func cachedLocation(zone string) *time.Location {
	if loc, ok := locations.Load(zone); ok {
		return loc.(*time.Location)
	}
	loc, err := param.ParseLocation(zone)
	if err != nil {
		return nil
	}
	locations.Store(zone, loc)
	return loc
}

// nodeOf builds the YAML node of a decoded JSON value.
func nodeOf(v any) *yaml.Node {
	switch v := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, nodeOf(v[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, item := range v {
			n.Content = append(n.Content, nodeOf(item))
		}
		return n
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	case json.Number:
		tag := "!!int"
		if _, err := strconv.ParseInt(string(v), 10, 64); err != nil {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(v)}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// jsonOf renders the node tree the YAML encoder made of a value as JSON.
func jsonOf(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return fmt.Errorf("document of %d nodes", len(n.Content))
		}
		return jsonOf(buf, n.Content[0])
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, n.Content[i].Value)
			buf.WriteByte(':')
			if err := jsonOf(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := jsonOf(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float", "!!bool":
			buf.WriteString(n.Value)
		case "!!null":
			buf.WriteString("null")
		default:
			writeJSONString(buf, n.Value)
		}
	default:
		return fmt.Errorf("unexpected YAML node kind %d", n.Kind)
	}
	return nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	buf.Write(b)
}
