#include "tools/viewer/show_document.h"

#include <sys/stat.h>

#include <filesystem>
#include <utility>

#include "choreography/hanky_throw_cue.h"
#include "choreography/show_writer.h"
#include "choreography/stage.h"
#include "sim/error.h"

namespace yangbot {

ShowRun MakeShowRun(const LoadedShow& loaded, const std::string& base_dir) {
  if (!loaded.ok()) throw Error("error: the show has errors; it cannot be compiled");
  ShowRun run;
  run.compiled = CompileSchedule(loaded.schedule);
  run.beats_per_bar = loaded.resolved.beats_per_bar;
  run.scene.robots = static_cast<int>(loaded.schedule.robots.size());
  run.scene.placements = run.compiled.placements;
  run.show = loaded.show;
  run.resolved = loaded.resolved;
  run.schedule = loaded.schedule;
  run.base_dir = base_dir;
  run.throws = ScheduledHankyThrows(loaded.schedule);
  run.scene.throwing_hankies = !run.throws.empty();
  // The stage's landmarks and the lidar that sees them, as `yangbot run` builds them.
  std::shared_ptr<LocalisationSetup> lidar = ShowLidarSetup(loaded.show, 1);
  if (loaded.show.stage || lidar) {
    run.scene.landmarks = ShowLandmarks(loaded.show, loaded.resolved, run.scene.placements);
  }
  if (lidar) lidar->landmarks = run.scene.landmarks;
  run.localisation = std::move(lidar);
  const std::string& model = loaded.show.troupe.model;
  if (!model.empty() && model != "builtin") run.scene.robot_path = ShowRobotPath(loaded.show, base_dir);
  return run;
}

std::optional<FileStamp> StampOf(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return std::nullopt;
  FileStamp stamp;
  stamp.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  stamp.size = static_cast<int64_t>(info.st_size);
  return stamp;
}

ShowDocument::ShowDocument(std::string path)
    : path_(std::move(path)),
      base_dir_(std::filesystem::path(path_).parent_path().string()) {
  LoadFromDisk();
}

std::string ShowDocument::DiagnosticsText() const {
  return loaded_.diagnostics.Format(edited_ ? path_ + " (as it would be saved)" : path_);
}

void ShowDocument::LoadFromDisk() {
  stamp_ = StampOf(path_);
  try {
    disk_text_ = ReadFileOrThrow(path_);
  } catch (const Error&) {
    disk_text_.clear();  // CheckShowFile reports why
  }
  loaded_ = CheckShowFile(path_);
  editable_ = loaded_.ok();
  edited_ = false;
  saved_canonical_ = WriteShow(loaded_.show);
  UpdateDirty();
  ++revision_;
}

void ShowDocument::SetEdited(const Show& show) {
  loaded_ = CheckShowText(WriteShow(show), base_dir_);
  editable_ = true;
  edited_ = true;
  UpdateDirty();
  ++revision_;
}

void ShowDocument::UpdateDirty() { dirty_ = WriteShow(loaded_.show) != saved_canonical_; }

bool ShowDocument::Apply(const std::string& label, const std::function<void(Show*)>& edit) {
  if (!editable_) return false;
  Show edited = loaded_.show;
  edit(&edited);
  if (WriteShow(edited) == WriteShow(loaded_.show)) return false;
  undo_.push_back({loaded_.show, label});
  redo_.clear();
  SetEdited(edited);
  return true;
}

bool ShowDocument::Undo() {
  if (undo_.empty()) return false;
  Revision previous = std::move(undo_.back());
  undo_.pop_back();
  redo_.push_back({loaded_.show, previous.label});
  SetEdited(previous.show);
  return true;
}

bool ShowDocument::Redo() {
  if (redo_.empty()) return false;
  Revision next = std::move(redo_.back());
  redo_.pop_back();
  undo_.push_back({loaded_.show, next.label});
  SetEdited(next.show);
  return true;
}

void ShowDocument::Save() {
  if (!editable_) {
    throw Error(path_ + ": error: not saved: the file has errors; fix them in the file itself");
  }
  const std::string text = WriteShow(loaded_.show);
  WriteFileAtomic(path_, text, /*keep_backup=*/true);
  disk_text_ = text;
  saved_canonical_ = text;
  stamp_ = StampOf(path_);
  edited_ = false;  // diagnostics positions are in the file again
  UpdateDirty();
}

void ShowDocument::SaveAs(const std::string& path) {
  const std::string old_path = path_, old_dir = base_dir_;
  path_ = path;
  base_dir_ = std::filesystem::path(path_).parent_path().string();
  try {
    Save();
  } catch (...) {
    path_ = old_path;
    base_dir_ = old_dir;
    throw;
  }
  // Relative paths in the show (music, model) now start from the new folder.
  if (base_dir_ != old_dir) {
    SetEdited(Show(loaded_.show));
    edited_ = false;
  }
}

ShowDocument::DiskChange ShowDocument::Poll() {
  const std::optional<FileStamp> stamp = StampOf(path_);
  if (!stamp) {
    // Report a vanished file once; editors that save by rename make it reappear.
    const bool was_there = stamp_.has_value();
    stamp_.reset();
    return was_there ? DiskChange::kMissing : DiskChange::kNone;
  }
  if (stamp_ && *stamp == *stamp_) return DiskChange::kNone;
  // Editors write in steps (truncate, then write): read what is there now, and compare
  // bytes so a touch or our own save is not a change.
  std::string text;
  try {
    text = ReadFileOrThrow(path_);
  } catch (const Error&) {
    return DiskChange::kNone;  // try again at the next poll
  }
  stamp_ = stamp;
  if (text == disk_text_) return DiskChange::kNone;
  if (dirty_) {
    disk_text_ = text;  // report a conflict once per change on disk
    return DiskChange::kConflict;
  }
  Reload();
  return DiskChange::kReloaded;
}

void ShowDocument::Reload() {
  // Only a show that reads back losslessly goes on the undo stack (see the header).
  if (editable_) {
    undo_.push_back({loaded_.show, "reload from disk"});
    redo_.clear();
  }
  LoadFromDisk();
}

}  // namespace yangbot
