package deps

import (
	"golang.org/x/mod/modfile"
)

// parseGoMod reads require, replace and toolchain. The go line is left out
// on purpose: it sets language semantics, not a third-party component.
func parseGoMod(data []byte) ([]entry, error) {
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, err
	}
	var out []entry
	if f.Toolchain != nil && f.Toolchain.Syntax != nil {
		out = append(out, entry{key: "toolchain", name: "go toolchain", purl: "-",
			version: f.Toolchain.Name, what: "toolchain", low: true, line: f.Toolchain.Syntax.Start.Line})
	}
	for _, r := range f.Require {
		if r == nil || r.Syntax == nil {
			continue
		}
		e := entry{key: "require " + r.Mod.Path, name: r.Mod.Path, version: r.Mod.Version,
			line: r.Syntax.Start.Line}
		if r.Indirect {
			// Indirect requirements are the module graph's lockfile.
			e.group, e.low = "indirect", true
		}
		out = append(out, e)
	}
	for _, r := range f.Replace {
		if r == nil || r.Syntax == nil {
			continue
		}
		key := "replace " + r.Old.Path
		if r.Old.Version != "" {
			key += "@" + r.Old.Version
		}
		e := entry{key: key, name: r.Old.Path, verb: "replaces", line: r.Syntax.Start.Line}
		switch {
		case r.New.Version == "":
			// A directory on disk: code that no checksum database vouches for.
			e.source, e.what = "local path "+r.New.Path, "replace"
			e.detail = "with local path " + r.New.Path
		case r.New.Path != r.Old.Path:
			e.source, e.what = "fork "+r.New.Path+" "+r.New.Version, "replace"
			e.detail = "with fork " + r.New.Path + " " + r.New.Version
			e.version = r.New.Version
			e.purl = r.New.Path
		default:
			e.version = r.New.Version
			e.detail = "with version " + r.New.Version
			e.what = "replace"
		}
		out = append(out, e)
	}
	return out, nil
}
