// A choreography file open in the viewer: the Show being edited, its check (schedule and
// diagnostics), undo/redo, saving and hot reload. GL-free: the viewer draws it, tests drive it.
//
// Every edit is a function on the Show. After it, the Show is written canonically
// (show_writer.h) and read back, so the diagnostics' FILE:LINE:COL point into the text a
// save would write, and nothing an edit makes can be lost on saving. A file that does not
// read cleanly from disk (errors) is shown read-only until it is fixed: writing it back
// could drop what its parser skipped.
#ifndef YANGBOT_TOOLS_VIEWER_SHOW_DOCUMENT_H_
#define YANGBOT_TOOLS_VIEWER_SHOW_DOCUMENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "controllers/localisation.h"
#include "sim/handkerchief_throw.h"
#include "sim/scene.h"

namespace yangbot {

/// What the viewer runs for a show: the stage and one reference per robot.
struct ShowRun {
  SceneOptions scene;      ///< robot count, model and start placements
  CompiledShow compiled;   ///< references, clock, end time
  int beats_per_bar = 4;   ///< from the header
  Show show;               ///< the checked show
  ResolvedShow resolved;   ///< what the plan was made from (the supervisor re-plans it)
  Schedule schedule;       ///< its plan, which `compiled` was compiled from
  std::string base_dir;    ///< the show file's folder
  /// The handkerchief throws of its `hanky: throw` cues (ScheduledHankyThrows); the stage
  /// is built to fly them (SceneOptions::throwing_hankies) when there are any.
  std::vector<HankyThrow> throws;
  /// Lidar localisation when the show asks for it (`localisation: lidar`, ShowLidarSetup;
  /// the seed is the run's), with the stage's landmarks; null: perfect.
  std::shared_ptr<const LocalisationSetup> localisation;
};

/// Compiles a checked show (loaded.ok()) into what the viewer runs; `base_dir` is the
/// show file's folder (a relative robot model path starts there). Throws Error when the
/// compiler rejects the schedule.
ShowRun MakeShowRun(const LoadedShow& loaded, const std::string& base_dir);

/// The file's modification time and size, to notice changes by polling; nullopt when it
/// cannot be read.
struct FileStamp {
  int64_t mtime_ns = 0;  ///< modification time, ns since the epoch
  int64_t size = 0;      ///< bytes
  /// Equality.
  friend bool operator==(const FileStamp& a, const FileStamp& b) {
    return a.mtime_ns == b.mtime_ns && a.size == b.size;
  }
};
/// Stamp of `path` now, or nullopt when it does not exist.
std::optional<FileStamp> StampOf(const std::string& path);

/// A choreography file being viewed and edited.
class ShowDocument {
 public:
  /// What a poll of the file on disk found.
  enum class DiskChange {
    kNone,         ///< unchanged (or changed back to what we have)
    kReloaded,     ///< changed and reloaded (the show may now have errors)
    kConflict,     ///< changed while there are unsaved edits: kept ours, see Reload()
    kMissing,      ///< the file is gone (kept ours)
  };

  /// Opens `path`. Problems in the file are diagnostics, not exceptions; an unreadable
  /// file is one too (the document then has errors and is empty).
  explicit ShowDocument(std::string path);

  /// The file.
  const std::string& path() const { return path_; }
  /// Folder relative paths start from.
  const std::string& base_dir() const { return base_dir_; }
  /// The show as edited now.
  const Show& show() const { return loaded_.show; }
  /// Its check: schedule (complete when ok()) and every problem.
  const LoadedShow& loaded() const { return loaded_; }
  /// No errors (warnings allowed).
  bool ok() const { return loaded_.ok(); }
  /// One "FILE:LINE:COL: error|warning: ..." line per problem; positions are in the file
  /// as on disk until the first edit, then in the text Save would write.
  std::string DiagnosticsText() const;
  /// Bumped on every change of the show (edit, undo, redo, reload): the viewer rebuilds
  /// its run when it moves and the show is ok().
  int64_t revision() const { return revision_; }

  /// Whether edits are possible (false while the file as read from disk has errors).
  bool editable() const { return editable_; }
  /// Applies `edit` to a copy of the show and re-checks it; the edit is kept (and can
  /// be undone) even when the result has errors, so nothing typed is lost. Returns false
  /// and changes nothing when the document is not editable or the edit changes nothing.
  bool Apply(const std::string& label, const std::function<void(Show*)>& edit);
  /// Undoes the last edit; false when there is none.
  bool Undo();
  /// Redoes the last undone edit; false when there is none.
  bool Redo();
  /// Whether there is an edit to undo.
  bool can_undo() const { return !undo_.empty(); }
  /// Whether there is an edit to redo.
  bool can_redo() const { return !redo_.empty(); }
  /// Label of the edit Undo would undo ("" when none).
  std::string undo_label() const { return undo_.empty() ? "" : undo_.back().label; }
  /// Label of the edit Redo would redo ("" when none).
  std::string redo_label() const { return redo_.empty() ? "" : redo_.back().label; }

  /// Unsaved changes: the show's canonical text differs from what was last loaded or saved.
  bool dirty() const { return dirty_; }
  /// Writes the show canonically to path() (atomic; the previous file kept as FILE.bak).
  /// Throws Error when it cannot be written or the document is not editable.
  void Save();
  /// Save() to another file, which becomes the document's path.
  void SaveAs(const std::string& path);

  /// Polls the file (cheap: a stat); reloads it when it changed on disk and there are no
  /// unsaved edits. Undo history survives a reload (a reload is itself undoable).
  DiskChange Poll();
  /// Reloads from disk, discarding unsaved edits (undoable).
  void Reload();

 private:
  struct Revision {
    Show show;
    std::string label;
  };
  // Re-checks `show` through its canonical text.
  void SetEdited(const Show& show);
  void LoadFromDisk();
  void UpdateDirty();
  std::string path_;
  std::string base_dir_;
  LoadedShow loaded_;
  bool editable_ = false;
  bool edited_ = false;         // positions refer to the canonical text, not the file
  std::string saved_canonical_;  // canonical text of what is on disk (as loaded or saved)
  std::string disk_text_;        // the file's bytes as last read or written
  std::optional<FileStamp> stamp_;
  bool dirty_ = false;
  int64_t revision_ = 0;
  std::vector<Revision> undo_, redo_;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_SHOW_DOCUMENT_H_
