package repo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// notesByBatch reads every note of the notes commit tip through one
// `git cat-file --batch`, a level of the tree at a time with every request
// of a level sent ahead: a 10,000-record trail costs a few round trips, not
// 10,000 object decodings. It reads what scanNotes reads, in the same
// order; any surprise (an object missing or of another type, a tree that
// does not parse) returns an error and NotesAt asks go-git, whose error
// names the problem.
func (r *Repo) notesByBatch(tip string) (map[string]string, error) {
	if !isHex(tip) || len(tip) != 40 {
		return nil, errors.New("not a full object id")
	}
	b, err := startBatch(r.dir)
	if err != nil {
		return nil, err
	}
	defer b.close()
	objs, err := b.read([]string{tip}, "commit")
	if err != nil {
		return nil, err
	}
	line, _, _ := bytes.Cut(objs[0], []byte{'\n'})
	root, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || len(root) != 40 || !isHex(string(root)) {
		return nil, fmt.Errorf("commit %s: no tree header", tip)
	}
	// A level of trees still to read: each with its path of entry indexes
	// from the root, which orders what is found as a depth-first walk does.
	type pending struct {
		id     string
		prefix string
		order  []int
	}
	type found struct {
		object string
		blob   string
		order  []int
	}
	level := []pending{{id: string(root)}}
	var notes []found
	for len(level) > 0 {
		ids := make([]string, len(level))
		for i, p := range level {
			ids[i] = p.id
		}
		trees, err := b.read(ids, "tree")
		if err != nil {
			return nil, err
		}
		var next []pending
		for i, p := range level {
			entries, err := parseTree(trees[i])
			if err != nil {
				return nil, err
			}
			for k, e := range entries {
				order := append(slices.Clone(p.order), k)
				switch {
				case fanoutDir(e, len(p.prefix)):
					next = append(next, pending{id: e.hash.String(), prefix: p.prefix + e.name, order: order})
				case noteFile(e, len(p.prefix)):
					notes = append(notes, found{object: strings.ToLower(p.prefix + e.name), blob: e.hash.String(), order: order})
				}
			}
		}
		level = next
	}
	slices.SortFunc(notes, func(a, b found) int { return slices.Compare(a.order, b.order) })
	ids := make([]string, len(notes))
	for i, n := range notes {
		ids[i] = n.blob
	}
	blobs, err := b.read(ids, "blob")
	if err != nil {
		return nil, err
	}
	texts := map[string][]string{}
	for i, n := range notes {
		texts[n.object] = append(texts[n.object], string(blobs[i]))
	}
	out := make(map[string]string, len(texts))
	for obj, ts := range texts {
		out[obj] = combineNotes(ts)
	}
	return out, b.close()
}

// batch is one `git cat-file --batch` for the length of one read.
type batch struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	cancel context.CancelFunc
	done   bool
}

func startBatch(dir string) (*batch, error) {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	in, err := cmd.StdinPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	return &batch{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 256<<10), cancel: cancel}, nil
}

// read asks for every id at once and returns their contents in order; each
// must be an object of type typ.
func (b *batch) read(ids []string, typ string) ([][]byte, error) {
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(b.in, 64<<10)
		for _, id := range ids {
			w.WriteString(id)
			w.WriteByte('\n')
		}
		werr <- w.Flush()
	}()
	out := make([][]byte, len(ids))
	var rerr error
	for i, id := range ids {
		header, err := b.out.ReadString('\n')
		if err != nil {
			rerr = err
			break
		}
		t, size, ok := parseHeader(header)
		if !ok || t != typ {
			rerr = fmt.Errorf("%s %s: %s", typ, id, strings.TrimSpace(header))
			break
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(b.out, data); err != nil {
			rerr = err
			break
		}
		out[i] = data[:size:size]
	}
	if rerr != nil {
		b.cancel() // kills git, which unblocks the writer
		<-werr
		return nil, rerr
	}
	if err := <-werr; err != nil {
		return nil, err
	}
	return out, nil
}

func (b *batch) close() error {
	if b.done {
		return nil
	}
	b.done = true
	b.in.Close()
	err := b.cmd.Wait()
	b.cancel()
	return err
}
