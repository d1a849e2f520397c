package review

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/pelletier/go-toml/v2"

	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// DefaultNotesRef is where decisions are recorded unless config or --ref says otherwise.
const DefaultNotesRef = "refs/notes/vouch"

// RepoConfigPath is the repository's own config, committed and reviewed like code.
const RepoConfigPath = ".vouch/config.toml"

// Config is vouch's configuration: the repository's .vouch/config.toml laid
// over the user's $XDG_CONFIG_HOME/vouch/config.toml.
type Config struct {
	NotesRef       string          `toml:"notes_ref"`
	AllowedSigners string          `toml:"allowed_signers"`
	Markers        []MarkerConfig  `toml:"markers"`
	Policy         surface.Policy  `toml:"policy"`
	Checklists     ChecklistConfig `toml:"checklists"`
	Verify         VerifyConfig    `toml:"verify"`
}

// VerifyConfig is the policy `vouch verify` applies; flags add to it.
type VerifyConfig struct {
	RequireComplete bool `toml:"require_complete"`
	MinReviewers    int  `toml:"min_reviewers"`
	NotAuthor       bool `toml:"not_author"`
	RequirePresence bool `toml:"require_presence"`
	AllowCarryOver  bool `toml:"allow_carry_over"`
	RequireSeen     bool `toml:"require_seen"`
	StrictTime      bool `toml:"strict_time"`
	SignedTrail     bool `toml:"signed_trail"`
	// Rules add requirements for commits that touch some paths or have
	// findings of some categories.
	Rules []VerifyRule `toml:"rules"`
}

// VerifyRule is one [[verify.rules]] entry: it applies to a commit that
// changes a path matching one of Paths or has a finding in one of
// Categories, and adds its requirements to the [verify] policy.
type VerifyRule struct {
	Name            string   `toml:"name"`
	Paths           []string `toml:"paths"`
	Categories      []string `toml:"categories"`
	MinReviewers    int      `toml:"min_reviewers"`
	RequireComplete bool     `toml:"require_complete"`
	RequireSeen     bool     `toml:"require_seen"`
	NotAuthor       bool     `toml:"not_author"`
	RequirePresence bool     `toml:"require_presence"`
}

// ChecklistConfig chooses the checklists in force.
type ChecklistConfig struct {
	Disable         []string `toml:"disable"`          // built-in ids to drop
	RequireComplete bool     `toml:"require_complete"` // accept only with every item ticked
}

// MarkerConfig is an organisation's own AI marker; exactly one match field is set.
type MarkerConfig struct {
	Assistant string `toml:"assistant"`
	Email     string `toml:"email"`
	Name      string `toml:"name"`
	Trailer   string `toml:"trailer"`
	Message   string `toml:"message"`
}

func (m MarkerConfig) marker() authorship.Marker {
	return authorship.Marker{Assistant: m.Assistant, Email: m.Email, Name: m.Name, Trailer: m.Trailer, Message: m.Message}
}

// LoadConfig reads the user's config, then the repository's (its values win;
// markers add up). In a bare repository the committed file at HEAD is read.
func LoadConfig(r *repo.Repo) (Config, error) {
	user, err := userConfig()
	if err != nil {
		return user, err
	}
	data, err := repoConfig(r)
	if err != nil {
		return user, err
	}
	var local Config
	if data != nil {
		if err := decodeConfig(RepoConfigPath, data, &local); err != nil {
			return user, err
		}
	}
	return mergeConfig(user, local), nil
}

// userConfig is $XDG_CONFIG_HOME/vouch/config.toml; a missing file is empty.
func userConfig() (Config, error) {
	var cfg Config
	path := userConfigPath()
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("read %s: %w", path, err)
	}
	return cfg, decodeConfig(path, data, &cfg)
}

// mergeConfig lays a repository's config over the user's.
func mergeConfig(cfg, local Config) Config {
	if local.NotesRef != "" {
		cfg.NotesRef = local.NotesRef
	}
	if local.AllowedSigners != "" {
		cfg.AllowedSigners = local.AllowedSigners
	}
	cfg.Markers = append(append([]MarkerConfig{}, cfg.Markers...), local.Markers...)
	cfg.Policy = mergePolicy(cfg.Policy, local.Policy)
	cfg.Checklists.Disable = append(append([]string{}, cfg.Checklists.Disable...), local.Checklists.Disable...)
	cfg.Checklists.RequireComplete = cfg.Checklists.RequireComplete || local.Checklists.RequireComplete
	// The repository's verify policy can only tighten the user's.
	v := &cfg.Verify
	v.RequireComplete = v.RequireComplete || local.Verify.RequireComplete
	v.MinReviewers = max(v.MinReviewers, local.Verify.MinReviewers)
	v.NotAuthor = v.NotAuthor || local.Verify.NotAuthor
	v.RequirePresence = v.RequirePresence || local.Verify.RequirePresence
	v.RequireSeen = v.RequireSeen || local.Verify.RequireSeen
	v.StrictTime = v.StrictTime || local.Verify.StrictTime
	v.SignedTrail = v.SignedTrail || local.Verify.SignedTrail
	v.AllowCarryOver = v.AllowCarryOver || local.Verify.AllowCarryOver
	v.Rules = append(append([]VerifyRule{}, v.Rules...), local.Verify.Rules...)
	return cfg
}

func repoConfig(r *repo.Repo) ([]byte, error) {
	if !r.Bare() {
		data, err := os.ReadFile(filepath.Join(r.Dir(), RepoConfigPath))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", RepoConfigPath, err)
		}
		return data, nil
	}
	out, err := r.Git("cat-file", "blob", "HEAD:"+RepoConfigPath)
	if errors.Is(err, repo.ErrBadConfig) || errors.Is(err, repo.ErrDubiousOwnership) {
		return nil, err
	}
	if err != nil {
		return nil, nil // no HEAD or no config committed
	}
	return out, nil
}

func userConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "vouch", "config.toml")
}

// decodeConfig decodes one config file. Its errors name the file, the line
// and the key as the user wrote them, and what the key takes, never a Go type.
func decodeConfig(name string, data []byte, cfg *Config) error {
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	err := dec.Decode(cfg)
	if err == nil {
		return nil
	}
	var serr *toml.StrictMissingError
	if errors.As(err, &serr) && len(serr.Errors) > 0 {
		first := serr.Errors[0]
		row, _ := first.Position()
		key := first.Key()
		msg := fmt.Sprintf("%s:%d: unknown key %s", name, row, joinKey(key))
		if known := knownKeys(key[:len(key)-1]); known != "" {
			msg += " (" + known + ")"
		}
		if n := len(serr.Errors) - 1; n > 0 {
			msg += fmt.Sprintf(", and %d more unknown", n)
		}
		return errors.New(msg)
	}
	var derr *toml.DecodeError
	if errors.As(err, &derr) {
		row, col := derr.Position()
		key := derr.Key()
		text := strings.TrimPrefix(derr.Error(), "toml: ")
		switch {
		case len(key) == 0:
			// A syntax error: where, to the column.
			return fmt.Errorf("%s:%d:%d: %s", name, row, col, configText(text))
		case strings.HasPrefix(text, "cannot decode TOML "):
			want := "something else"
			if t, ok := keyType(key); ok {
				want = describeType(t)
			}
			return fmt.Errorf("%s:%d: %s must be %s, got %s", name, row, joinKey(key), want, valueAt(data, row, col))
		case strings.HasSuffix(text, " is already defined"):
			return fmt.Errorf("%s:%d: %s is set twice", name, row, joinKey(key))
		default:
			return fmt.Errorf("%s:%d: %s: %s", name, row, joinKey(key), configText(text))
		}
	}
	return fmt.Errorf("%s: %s", name, configText(strings.TrimPrefix(err.Error(), "toml: ")))
}

// joinKey spells a dotted key as TOML does, quoting parts that are not bare.
func joinKey(k []string) string {
	parts := make([]string, len(k))
	for i, p := range k {
		parts[i] = p
		if p == "" || strings.IndexFunc(p, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		}) >= 0 {
			parts[i] = strconv.Quote(p)
		}
	}
	return strings.Join(parts, ".")
}

// keyType follows a TOML key through Config's toml tags to the Go type of
// its value; arrays of tables and tables of values are stepped through.
func keyType(key []string) (reflect.Type, bool) {
	t := reflect.TypeOf(Config{})
	for _, part := range key {
		for t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := tomlField(t, part)
			if !ok {
				return nil, false
			}
			t = f.Type
		case reflect.Map:
			t = t.Elem()
		default:
			return nil, false
		}
	}
	return t, true
}

func tomlField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// knownKeys lists the keys the table at key takes, for an unknown one.
func knownKeys(table []string) string {
	t, ok := keyType(table)
	if !ok {
		return ""
	}
	for t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	where := "known keys"
	if len(table) > 0 {
		where = "keys of [" + joinKey(table) + "]"
	}
	return where + ": " + strings.Join(names, ", ")
}

// describeType says in TOML's words what a Go type accepts.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string in quotes"
	case reflect.Slice:
		switch t.Elem().Kind() {
		case reflect.Struct:
			return "a list of tables ([[…]])"
		case reflect.String:
			return "a list of strings"
		}
		return "a list"
	case reflect.Map:
		if t.Elem().Kind() == reflect.String {
			return "a table of strings"
		}
		return "a table"
	case reflect.Struct:
		return "a table"
	}
	return "something else"
}

// valueAt is the value written at row:col, as the user wrote it.
func valueAt(data []byte, row, col int) string {
	lines := strings.Split(string(data), "\n")
	if row < 1 || row > len(lines) {
		return "something else"
	}
	line := []rune(strings.TrimRight(lines[row-1], "\r"))
	if col < 1 || col > len(line) {
		return "nothing"
	}
	v := strings.TrimSpace(string(line[col-1:]))
	if i := strings.Index(v, " #"); i >= 0 && !strings.ContainsAny(v[:i], `"'`) {
		v = strings.TrimSpace(v[:i])
	}
	if r := []rune(v); len(r) > 40 {
		v = string(r[:40]) + "…"
	}
	return configText(v)
}

// configText keeps text that came from a config file on one safe line.
func configText(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) || r == unicode.ReplacementChar }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// mergePolicy lays the repository's policy over the user's: lists add up,
// rule overrides of the repository win.
func mergePolicy(user, local surface.Policy) surface.Policy {
	out := surface.Policy{
		DeniedPackages: append(append([]string{}, user.DeniedPackages...), local.DeniedPackages...),
		DeniedImports:  append(append([]string{}, user.DeniedImports...), local.DeniedImports...),
		Paths:          append(append([]surface.PathRule{}, user.Paths...), local.Paths...),
		Custom:         append(append([]surface.CustomRule{}, user.Custom...), local.Custom...),
		Rules:          map[string]string{},
	}
	for k, v := range user.Rules {
		out.Rules[k] = v
	}
	for k, v := range local.Rules {
		out.Rules[k] = v
	}
	return out
}
