package repo

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Reader answers a scan's or a TUI session's questions through long-lived
// git processes instead of one process per question: one
// `git diff-tree --stdin` for patches and one `git cat-file --batch-command`
// for blob sizes and contents. Each starts on first use, serves one request
// at a time, and ends with Close or when ctx is done (a hung git is killed).
// A Reader is safe for concurrent use.
type Reader struct {
	repo *Repo
	ctx  context.Context

	diff stream
	cat  stream

	index *treeIndex // what trees and blobs already searched hold (TreeHolds)
	owner bool       // the index is this Reader's, not a Sibling's: Close ends its git check-attr
}

// stream is one long-lived git process spoken to line by line.
type stream struct {
	mu     sync.Mutex
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
	end    []byte // the sentinel line diff-tree echoes after each request
	broken error  // the process failed; later requests use one-shot git
}

// NewReader returns a Reader over the repository; nothing starts until the
// first request.
func (r *Repo) NewReader(ctx context.Context) *Reader {
	return &Reader{repo: r, ctx: ctx, index: &treeIndex{}, owner: true}
}

// Sibling is a new Reader, with git processes of its own, that shares
// what rd's TreeHolds learnt and learns for it: workers that each ask on
// their own processes still read each version of a file once. Close the
// siblings before rd.
func (rd *Reader) Sibling() *Reader {
	return &Reader{repo: rd.repo, ctx: rd.ctx, index: rd.index}
}

// Close ends the processes and waits for them.
func (rd *Reader) Close() error {
	err1 := rd.diff.close()
	err2 := rd.cat.close()
	var err3 error
	if rd.owner {
		err3 = rd.index.attr.close()
	}
	return errors.Join(err1, err2, err3)
}

func (s *stream) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stop()
}

// stop closes stdin (git exits at end of input) and waits; the caller holds mu.
func (s *stream) stop() error {
	if s.cmd == nil {
		return nil
	}
	s.in.Close()
	err := s.cmd.Wait()
	s.cmd = nil
	var ee *exec.ExitError
	if errors.As(err, &ee) && s.broken != nil {
		return nil // already reported
	}
	return err
}

func (s *stream) start(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	s.stderr = &bytes.Buffer{}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git %s: %w", args[len(args)-1], err)
	}
	s.cmd, s.in, s.out = cmd, in, bufio.NewReaderSize(out, 256<<10)
	return nil
}

// fail stops a process that broke mid-request and says why in one line.
func (s *stream) fail(ctx context.Context, dir, what string, err error) error {
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.stop()
	}
	// Read only once the process is gone: exec copies its stderr until then.
	stderr := ""
	if s.stderr != nil {
		stderr = s.stderr.String()
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	s.broken = &GitError{Args: []string{what}, Dir: dir, Stderr: stderr, Err: err}
	return s.broken
}

var patchArgs = []string{"-c", "core.quotepath=false", "diff-tree", "-p", "-M", "--no-commit-id",
	"--no-color", "--no-ext-diff", "--no-textconv", "--full-index"}

// Patch is Repo.Patch through the diff stream: the same bytes, no new process.
func (rd *Reader) Patch(c Commit) ([]byte, error) {
	d, err := rd.Diff(c, Limits{})
	return d.Patch, err
}

// Diff reads the commit's diff against its first parent (the empty tree for
// a root commit) through the diff stream, keeping what lim allows, and
// computes its patch id as the bytes go by.
func (rd *Reader) Diff(c Commit, lim Limits) (Diff, error) {
	if err := rd.ctx.Err(); err != nil {
		return Diff{}, err
	}
	if !isOIDHex([]byte(c.SHA)) || len(c.SHA) != 40 {
		return rd.oneShotDiff(c, lim)
	}
	s := &rd.diff
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return rd.oneShotDiff(c, lim)
	}
	if s.cmd == nil {
		if err := rd.startDiff(s); err != nil {
			s.broken = err
			return rd.oneShotDiff(c, lim)
		}
	}
	req := c.SHA + "\n"
	if len(c.Parents) > 0 {
		// "C P": C against P only, as Repo.Patch compares with the first parent.
		req = c.SHA + " " + c.Parents[0] + "\n"
	}
	if _, err := io.WriteString(s.in, req+string(s.end)); err != nil {
		return Diff{}, s.fail(rd.ctx, rd.repo.dir, "diff-tree", err)
	}
	return rd.readDiff(s, lim)
}

// startDiff starts the diff stream; the caller holds s.mu.
func (rd *Reader) startDiff(s *stream) error {
	var nonce [12]byte
	rand.Read(nonce[:])
	// diff-tree echoes a line that is not an object id and flushes: the
	// end of one commit's patch. No line of a patch can be this one.
	s.end = []byte("vouch-end-" + hex.EncodeToString(nonce[:]) + "\n")
	args := append(append([]string{}, patchArgs...), "--root", "--stdin")
	return s.start(rd.ctx, rd.repo.dir, args...)
}

// diffRequest is what the diff stream is sent for c: c against its first
// parent, then the end marker.
func diffRequest(w *bufio.Writer, c Commit, end []byte) {
	w.WriteString(c.SHA)
	if len(c.Parents) > 0 {
		// "C P": C against P only, as Repo.Patch compares with the first parent.
		w.WriteString(" " + c.Parents[0])
	}
	w.WriteByte('\n')
	w.Write(end)
}

// readDiff reads one commit's patch from the diff stream up to its end
// marker, keeping what lim allows and hashing its patch id as it goes.
func (rd *Reader) readDiff(s *stream, lim Limits) (Diff, error) {
	pid := newPatchIDHasher()
	b := diffBuilder{lim: lim}
	var line []byte
	first, lineCut := true, false
	for {
		chunk, err := s.out.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			return Diff{}, s.fail(rd.ctx, rd.repo.dir, "diff-tree", err)
		}
		if first && bytes.Equal(chunk, s.end) {
			return Diff{Patch: b.out, PatchID: pid.sum(), Cut: b.cut}, nil
		}
		if first {
			pid.line(chunk)
		} else {
			pid.more(chunk)
		}
		if room := lim.LineBytes - len(line); lim.LineBytes > 0 && len(chunk) > room {
			chunk, lineCut = chunk[:max(room, 0)], true
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			first = false
			continue
		}
		if lineCut && (len(line) == 0 || line[len(line)-1] != '\n') {
			line = append(line, '\n')
		}
		b.add(line, lineCut)
		line, first, lineCut = line[:0], true, false
	}
}

// Diffs reads the diffs of commits in order, as Diff would one by one,
// with every request sent ahead so git never waits for the next one; fn
// gets each as it arrives and may block (git then waits, its output held
// in the pipe). An error from fn stops the reading and is returned. The
// stream is the Reader's for the whole call.
func (rd *Reader) Diffs(commits []Commit, lim Limits, fn func(i int, d Diff) error) error {
	in := make(chan Commit, len(commits))
	for _, c := range commits {
		in <- c
	}
	close(in)
	return rd.DiffsFrom(in, lim, fn)
}

// DiffsFrom is Diffs of the commits sent on in, until it is closed: each
// request goes to git as its commit comes, and fn gets the i-th commit's
// diff. The caller closes in, or ends rd's context, to end the call.
func (rd *Reader) DiffsFrom(in <-chan Commit, lim Limits, fn func(i int, d Diff) error) error {
	s := &rd.diff
	s.mu.Lock()
	if s.broken == nil && s.cmd == nil {
		if err := rd.startDiff(s); err != nil {
			s.broken = err
		}
	}
	if s.broken != nil {
		s.mu.Unlock()
		return rd.diffsOneByOne(in, lim, fn)
	}
	defer s.mu.Unlock()
	// sent tells the reading loop each commit in the order its request was
	// written; one git cannot answer (not a SHA-1 id) is read on its own.
	sent := make(chan Commit, 1024)
	werr := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(sent)
		w := bufio.NewWriterSize(s.in, 64<<10)
		for {
			var c Commit
			var ok bool
			select {
			case c, ok = <-in:
			default:
				// Nothing queued: what is written must reach git before
				// this waits, or git would wait with it.
				if err := w.Flush(); err != nil {
					werr <- err
					return
				}
				select {
				case c, ok = <-in:
				case <-stop:
					werr <- nil
					return
				}
			}
			if !ok {
				werr <- w.Flush()
				return
			}
			if streamable(c) {
				diffRequest(w, c, s.end)
			}
			select {
			case sent <- c:
			default:
				if err := w.Flush(); err != nil {
					werr <- err
					return
				}
				select {
				case sent <- c:
				case <-stop:
					werr <- nil
					return
				}
			}
			if w.Buffered() > 32<<10 {
				if err := w.Flush(); err != nil {
					werr <- err
					return
				}
			}
		}
	}()
	// quit stops the writer and says why the reading ended.
	quit := func(err error) error {
		s.fail(rd.ctx, rd.repo.dir, "diff-tree", err)
		close(stop)
		<-werr
		return err
	}
	i := 0
	for {
		var c Commit
		var ok bool
		select {
		case c, ok = <-sent:
		case <-rd.ctx.Done():
			return quit(rd.ctx.Err())
		}
		if !ok {
			break
		}
		if err := rd.ctx.Err(); err != nil {
			return quit(err)
		}
		var d Diff
		var err error
		if streamable(c) {
			d, err = rd.readDiff(s, lim)
			if err != nil {
				close(stop)
				<-werr
				return err
			}
		} else if d, err = rd.oneShotDiff(c, lim); err != nil {
			return quit(err)
		}
		if err := fn(i, d); err != nil {
			// The answers still due would put the stream out of step.
			quit(err)
			s.broken = nil
			return err
		}
		i++
	}
	if err := <-werr; err != nil {
		return s.fail(rd.ctx, rd.repo.dir, "diff-tree", err)
	}
	return nil
}

// streamable: the diff stream can be asked for c (git reads a SHA-1 id on
// its input; anything else is asked of a git of its own).
func streamable(c Commit) bool { return isOIDHex([]byte(c.SHA)) && len(c.SHA) == 40 }

// diffsOneByOne is DiffsFrom with a git per commit, for when the stream
// cannot start.
func (rd *Reader) diffsOneByOne(in <-chan Commit, lim Limits, fn func(i int, d Diff) error) error {
	i := 0
	for {
		var c Commit
		var ok bool
		select {
		case c, ok = <-in:
		case <-rd.ctx.Done():
			return rd.ctx.Err()
		}
		if !ok {
			return nil
		}
		d, err := rd.Diff(c, lim)
		if err != nil {
			return err
		}
		if err := fn(i, d); err != nil {
			return err
		}
		i++
	}
}

// PatchIDs computes the patch id of each commit, by id, through the diff
// stream with every request sent ahead, so a range of 10,000 commits pays
// no round trip per commit and holds no patch. A long range is split over
// up to one diff-tree per CPU (the stream and short-lived ones beside it).
func (rd *Reader) PatchIDs(commits []Commit) (map[string]string, error) {
	out := make(map[string]string, len(commits))
	var batch []Commit
	for _, c := range commits {
		if isOIDHex([]byte(c.SHA)) && len(c.SHA) == 40 {
			batch = append(batch, c)
			continue
		}
		d, err := rd.oneShotDiff(c, Limits{FileBytes: 1, LineBytes: 1})
		if err != nil {
			return nil, err
		}
		out[c.SHA] = d.PatchID
	}
	if len(batch) == 0 {
		return out, nil
	}
	// Start the stream (or learn it is broken) with the first commit.
	d, err := rd.Diff(batch[0], Limits{FileBytes: 1, LineBytes: 1})
	if err != nil {
		return nil, err
	}
	out[batch[0].SHA] = d.PatchID
	batch = batch[1:]
	s := &rd.diff
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil || s.cmd == nil {
		for _, c := range batch {
			d, err := rd.oneShotDiff(c, Limits{FileBytes: 1, LineBytes: 1})
			if err != nil {
				return nil, err
			}
			out[c.SHA] = d.PatchID
		}
		return out, nil
	}
	parts := min(runtime.NumCPU(), 4, max(len(batch)/patchIDsPerProcess, 1))
	if parts == 1 {
		return out, rd.pipelinedPatchIDs(s, batch, out)
	}
	// Contiguous slices, so each process walks nearby history.
	size := (len(batch) + parts - 1) / parts
	results := make([]map[string]string, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for k := range parts {
		part := batch[min(k*size, len(batch)):min((k+1)*size, len(batch))]
		results[k] = make(map[string]string, len(part))
		if k == 0 {
			continue
		}
		wg.Go(func() {
			extra := &stream{end: s.end}
			if err := extra.start(rd.ctx, rd.repo.dir, s.cmd.Args[1:]...); err != nil {
				errs[k] = err
				return
			}
			errs[k] = rd.pipelinedPatchIDs(extra, part, results[k])
			if err := extra.stop(); errs[k] == nil && err != nil && extra.broken == nil {
				errs[k] = &GitError{Args: []string{"diff-tree"}, Dir: rd.repo.dir, Stderr: extra.stderr.String(), Err: err}
			}
		})
	}
	errs[0] = rd.pipelinedPatchIDs(s, batch[:min(size, len(batch))], results[0])
	wg.Wait()
	for k := range parts {
		if errs[k] != nil {
			return nil, errs[k]
		}
		for sha, id := range results[k] {
			out[sha] = id
		}
	}
	return out, nil
}

// patchIDsPerProcess is the least work worth another diff-tree process
// (a variable so that tests split a short history).
var patchIDsPerProcess = 500

// pipelinedPatchIDs sends every commit of batch down s ahead and hashes the
// patches as they come back; the caller holds s.mu (or owns s).
func (rd *Reader) pipelinedPatchIDs(s *stream, batch []Commit, out map[string]string) error {
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(s.in, 64<<10)
		for _, c := range batch {
			diffRequest(w, c, s.end)
		}
		werr <- w.Flush()
	}()
	for _, c := range batch {
		pid := newPatchIDHasher()
		first := true
		for {
			chunk, err := s.out.ReadSlice('\n')
			if err != nil && err != bufio.ErrBufferFull {
				s.cmd.Process.Kill()
				<-werr
				return s.fail(rd.ctx, rd.repo.dir, "diff-tree", err)
			}
			if first && bytes.Equal(chunk, s.end) {
				break
			}
			if first {
				pid.line(chunk)
			} else {
				pid.more(chunk)
			}
			first = err != bufio.ErrBufferFull
		}
		out[c.SHA] = pid.sum()
	}
	if err := <-werr; err != nil {
		return s.fail(rd.ctx, rd.repo.dir, "diff-tree", err)
	}
	return nil
}

// oneShotDiff is Diff with a diff-tree process of its own.
func (rd *Reader) oneShotDiff(c Commit, lim Limits) (Diff, error) {
	patch, err := rd.repo.Patch(c)
	if err != nil {
		return Diff{}, err
	}
	id := StablePatchID(patch)
	patch, cut := LimitPatch(patch, lim)
	return Diff{Patch: patch, PatchID: id, Cut: cut}, nil
}

// Blob is what the cat-file stream knows of one object.
type Blob struct {
	Size    int64  // -1 when the object is missing
	Content []byte // nil when not a blob or larger than the limit asked for
}

// Blobs is Repo.Blobs through the cat-file stream: blobs larger than
// maxSize are absent from the map and never read, only their size asked.
func (rd *Reader) Blobs(ids []string, maxSize int64) (map[string][]byte, error) {
	got, err := rd.Objects(ids, maxSize)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(got))
	for id, b := range got {
		if b.Content != nil {
			out[id] = b.Content
		}
	}
	return out, nil
}

// Objects reports the size of each object named (an id, or REV:PATH) and
// the content of each blob no larger than maxSize.
func (rd *Reader) Objects(names []string, maxSize int64) (map[string]Blob, error) {
	out := map[string]Blob{}
	if len(names) == 0 {
		return out, nil
	}
	for _, n := range names {
		if n == "" || strings.ContainsAny(n, "\n\x00") || strings.HasPrefix(n, "-") {
			return nil, fmt.Errorf("object name %q cannot be read", n)
		}
	}
	if err := rd.ctx.Err(); err != nil {
		return nil, err
	}
	s := &rd.cat
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return rd.oneShotObjects(names, maxSize)
	}
	if s.cmd == nil {
		if err := s.start(rd.ctx, rd.repo.dir, "cat-file", "--batch-command"); err != nil {
			s.broken = err
			return rd.oneShotObjects(names, maxSize)
		}
	}
	// Sizes first; contents only of the blobs within the limit. A writer
	// goroutine keeps a 10,000-file commit from filling both pipes.
	var want []string
	err := rd.exchange(s, "info", names, func(name string) error {
		header, err := s.out.ReadString('\n')
		if err != nil {
			return err
		}
		typ, size, ok := parseHeader(header)
		if !ok {
			out[name] = Blob{Size: -1}
			return nil
		}
		out[name] = Blob{Size: size}
		if typ == "blob" && size <= maxSize {
			want = append(want, name)
		}
		return nil
	})
	if err != nil {
		return nil, s.fail(rd.ctx, rd.repo.dir, "cat-file", err)
	}
	err = rd.exchange(s, "contents", want, func(name string) error {
		header, err := s.out.ReadString('\n')
		if err != nil {
			return err
		}
		_, size, ok := parseHeader(header)
		if !ok {
			return fmt.Errorf("unexpected header %q", strings.TrimSpace(header))
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(s.out, data); err != nil {
			return err
		}
		out[name] = Blob{Size: size, Content: data[:size:size]}
		return nil
	})
	if err != nil {
		return nil, s.fail(rd.ctx, rd.repo.dir, "cat-file", err)
	}
	return out, nil
}

// exchange writes one command per name while read answers them in order.
func (rd *Reader) exchange(s *stream, verb string, names []string, read func(name string) error) error {
	if len(names) == 0 {
		return nil
	}
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(s.in, 64<<10)
		for _, n := range names {
			w.WriteString(verb)
			w.WriteByte(' ')
			w.WriteString(n)
			w.WriteByte('\n')
		}
		werr <- w.Flush()
	}()
	var rerr error
	for _, n := range names {
		if rerr = read(n); rerr != nil {
			break
		}
	}
	if rerr != nil {
		// Unblock the writer: the process is killed by fail.
		s.cmd.Process.Kill()
		<-werr
		return rerr
	}
	return <-werr
}

// parseHeader reads "<oid> <type> <size>"; "<name> missing" (or ambiguous) is not ok.
func parseHeader(header string) (typ string, size int64, ok bool) {
	f := strings.Fields(header)
	if len(f) != 3 {
		return "", 0, false
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return "", 0, false
	}
	return f[1], size, true
}

// oneShotObjects serves a Reader whose cat-file process could not run (a
// git older than 2.36 has no --batch-command): contents only, by id.
func (rd *Reader) oneShotObjects(names []string, maxSize int64) (map[string]Blob, error) {
	blobs, err := rd.repo.Blobs(names, maxSize)
	if err != nil {
		return nil, err
	}
	out := map[string]Blob{}
	for id, b := range blobs {
		out[id] = Blob{Size: int64(len(b)), Content: b}
	}
	return out, nil
}
