// AddTask's products over a Jacobian's nonzero columns against the dense formula; and
// WholeBodyQp (whole_body_tasks.h) against the full problem solved cold by QpSolver: the
// first stance foot's wrench eliminated through the floating base's equalities must give
// the same optimum (random problems of the controller's layout and the controller's own
// problems, single and double support), bit for bit the same on a repeated solve.
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "controllers/robot_state.h"
#include "controllers/whole_body_controller.h"
#include "controllers/whole_body_tasks.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/allocation_counter.h"
#include "tests/controllers/swaying_stand.h"

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTolerance = 1e-6;  // relative to the solution's size

// Solves p cold and full (a fresh QpSolver) and through `qp`; expects the eliminated path, the
// same status and x within kTolerance; returns the number of active inequalities.
int ExpectSameOptimum(const QpProblem& p, int nv, WholeBodyQp* qp) {
  QpSolver full;
  QpSolution expected, reduced;
  const QpStatus status = full.Solve(p, &expected);
  EXPECT_EQ(qp->Solve(p, nv, &reduced), status);
  EXPECT_TRUE(qp->reduced());
  if (status != QpStatus::kOptimal) return 0;
  const double scale = std::max(1.0, expected.x.lpNorm<Eigen::Infinity>());
  EXPECT_LE((reduced.x - expected.x).lpNorm<Eigen::Infinity>(), kTolerance * scale);
  EXPECT_EQ(reduced.active_set, expected.active_set);
  EXPECT_NEAR(reduced.objective, expected.objective, kTolerance * std::max(1.0, std::abs(expected.objective)));
  // The equalities hold, and the multipliers satisfy p's stationarity.
  EXPECT_LE((p.A_eq * reduced.x - p.b_eq).lpNorm<Eigen::Infinity>(), kTolerance * scale);
  Eigen::VectorXd gradient = p.H * reduced.x + p.g + p.A_eq.transpose() * reduced.y_eq +
                             p.C.transpose() * reduced.z_ineq + reduced.z_bounds;
  EXPECT_LE(gradient.lpNorm<Eigen::Infinity>(), 1e-6 * std::max(1.0, p.g.lpNorm<Eigen::Infinity>()));
  // Repeated solves, on this solver and a fresh one, give the same bits.
  QpSolution again;
  WholeBodyQp fresh;
  qp->Solve(p, nv, &again);
  EXPECT_EQ(again.x, reduced.x);
  fresh.Solve(p, nv, &again);
  EXPECT_EQ(again.x, reduced.x);
  return static_cast<int>(expected.active_set.size());
}

// A random problem of the controller's layout: nv qdd then 6 per stance foot, H dense on the
// qdd and diagonal on the wrenches, 6 equalities, rows on everything, feasible at a random
// x0; `sigma` moves the unconstrained optimum away from x0 (more active rows).
QpProblem RandomProblem(std::mt19937* rng, int nv, int stance, double sigma, bool bounds) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> margin(0.05, 1.0);
  std::uniform_int_distribution<int> kind(0, 2);
  const int n = nv + 6 * stance;
  auto random = [&](int rows, int cols) {
    Eigen::MatrixXd m(rows, cols);
    for (int j = 0; j < cols; ++j) {
      for (int i = 0; i < rows; ++i) m(i, j) = normal(*rng);
    }
    return m;
  };
  QpProblem p;
  const Eigen::MatrixXd a = random(nv, nv);
  p.H.setZero(n, n);
  p.H.topLeftCorner(nv, nv) = a.transpose() * a / nv + 0.1 * Eigen::MatrixXd::Identity(nv, nv);
  for (int j = nv; j < n; ++j) p.H(j, j) = 0.01 + std::abs(normal(*rng));
  p.A_eq = random(6, n);
  p.A_eq.block(0, nv, 6, 6) += 3 * Eigen::MatrixXd::Identity(6, 6);
  const Eigen::VectorXd x0 = random(n, 1);
  p.b_eq = p.A_eq * x0;
  const Eigen::VectorXd target = x0 + sigma * random(n, 1);
  p.g = -p.H * target;
  const int m = nv - 6 + 11 * stance;
  p.C = random(m, n);
  for (int i = nv - 6; i < m; ++i) p.C.row(i).head(nv).setZero();  // cone rows: wrenches only
  const Eigen::VectorXd cx0 = p.C * x0;
  p.c_lower.resize(m);
  p.c_upper.resize(m);
  for (int i = 0; i < m; ++i) {
    const int k = kind(*rng);
    p.c_lower(i) = k == 2 ? -kInf : cx0(i) - margin(*rng);
    p.c_upper(i) = k == 1 ? kInf : cx0(i) + margin(*rng);
  }
  if (bounds) {
    p.x_lower.setConstant(n, -kInf);
    p.x_upper.setConstant(n, kInf);
    p.x_lower(nv - 3) = x0(nv - 3) - margin(*rng);
    p.x_lower(nv - 9) = x0(nv - 9) - margin(*rng);
  }
  return p;
}

TEST(WholeBodyQpTest, EliminatingAWrenchGivesTheFullSolveOptimumOnRandomProblems) {
  std::mt19937 rng(23);
  WholeBodyQp qp;
  int active = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int stance = 1 + trial % 2;
    const double sigma = trial % 3 == 0 ? 0.1 : 2.0;
    const QpProblem p = RandomProblem(&rng, 27, stance, sigma, trial % 4 == 1);
    SCOPED_TRACE(trial);
    active += ExpectSameOptimum(p, 27, &qp);
  }
  EXPECT_GT(active, 60 * 3);  // the inequalities take part
}

// One robot in the busy stance (swaying_stand.h), 0.3 s in: the controller's own QPs.
struct SwayingController {
  std::unique_ptr<Scene> scene;
  std::unique_ptr<RunState> run;
  const WholeBodyController* wbc = nullptr;  ///< run's controller
  std::array<int, 2> sole_site{};             ///< the robot's left and right sole site ids

  /// The controller's kinematics of the robot's state now (ComputeKinematics); allocates
  /// nothing once the velocities' scratch is sized.
  void Kinematics(JacobianHistory* history, WholeBodyKinematics* kin) const {
    velocities = Eigen::Map<const Eigen::VectorXd>(run->data->qvel + scene->robot(0).dof_begin,
                                                   scene->robot_info().nv);
    ComputeKinematics(scene->model(), *run->data, scene->robot(0), sole_site, velocities,
                      history, kin);
  }
  mutable Eigen::VectorXd velocities;  ///< scratch (nv)
};

SwayingController StartSwayingController() {
  SceneOptions options;
  options.robots = 1;
  SwayingController c;
  c.scene = Scene::Build(options);
  c.run = StartSwayingStand(*c.scene);
  RunUntil(*c.scene, c.run.get(), 0.3);
  c.wbc = dynamic_cast<const WholeBodyController*>(c.run->controllers[0].get());
  const RobotLayout layout = RobotLayout::Resolve(c.scene->robot_info());
  const int site_begin = c.scene->robot(0).site_begin;
  c.sole_site = {site_begin + layout.left_sole_site, site_begin + layout.right_sole_site};
  return c;
}

TEST(WholeBodyQpTest, EliminatingAWrenchGivesTheFullSolveOptimumOnTheControllersProblems) {
  const SwayingController c = StartSwayingController();
  ASSERT_NE(c.wbc, nullptr);
  const Scene* scene = c.scene.get();
  RunState* run = c.run.get();
  const WholeBodyController* wbc = c.wbc;
  const RobotInfo& info = scene->robot_info();
  const int nv = info.nv;
  WholeBodyQp qp;
  for (int tick = 0; tick < 40; ++tick) {
    Step(*scene, run);
    SCOPED_TRACE(tick);
    ExpectSameOptimum(wbc->qp_problem(), nv, &qp);
  }

  // Single and double support from the robot's own kinematics, with CoM and pelvis targets
  // far enough off to press the CoP, friction and torque rows.
  const mjData& d = *run->data;
  JacobianHistory history;
  WholeBodyKinematics kin;
  c.Kinematics(&history, &kin);
  const std::array<SoleRectangle, 2> soles{};
  WholeBodyGains gains;
  FootTask foot;
  std::mt19937 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  int active = 0;
  for (int trial = 0; trial < 30; ++trial) {
    const std::vector<int> stance = trial % 3 == 0 ? std::vector<int>{0, 1} : std::vector<int>{trial % 3 - 1};
    const int n = nv + 6 * static_cast<int>(stance.size());
    QpProblem p;
    p.H.setZero(n, n);
    p.g.setZero(n);
    const double scale = 1 + trial % 5;  // m/s², rad/s²
    const Eigen::Vector3d com_acc(scale * normal(rng), scale * normal(rng), 2 * normal(rng));
    Vector6d pelvis_acc;
    for (int i = 0; i < 6; ++i) pelvis_acc(i) = scale * normal(rng);
    AddTask(kin.J_com, com_acc, gains.w_com, &p);
    AddTask(kin.J_pelvis, pelvis_acc, 10.0, &p);
    AddRegularisation(gains, nv, static_cast<int>(stance.size()), &p);
    AddContacts(d, info, kin, stance, soles, false, gains, &foot, &p);
    SCOPED_TRACE(trial);
    active += ExpectSameOptimum(p, nv, &qp);
  }
  EXPECT_GT(active, 30);  // the inequalities take part
}

TEST(WholeBodyQpTest, AddTaskAddsTheWeightedNormalEquationsOverTheNonzeroColumns) {
  std::mt19937 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  const int n = 20;
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(5, 16);  // acts on the first 16 of 20 variables
  for (const int j : {0, 1, 2, 7, 8, 15}) {
    for (int i = 0; i < 5; ++i) A(i, j) = normal(rng);
  }
  A(3, 11) = 0.5;  // a column with one nonzero entry
  Eigen::VectorXd b(5);
  for (int i = 0; i < 5; ++i) b(i) = normal(rng);
  QpProblem p;
  p.H = Eigen::MatrixXd::Identity(n, n);
  p.g = Eigen::VectorXd::Ones(n);
  AddTask(A, b, 2.5, &p);
  Eigen::MatrixXd H = Eigen::MatrixXd::Identity(n, n);
  Eigen::VectorXd g = Eigen::VectorXd::Ones(n);
  H.topLeftCorner(16, 16) += 2.5 * A.transpose() * A;
  g.head(16) -= 2.5 * A.transpose() * b;
  EXPECT_LE((p.H - H).lpNorm<Eigen::Infinity>(), 1e-12);
  EXPECT_LE((p.g - g).lpNorm<Eigen::Infinity>(), 1e-12);
  EXPECT_EQ(p.H, p.H.transpose());  // both halves get the same products
  // An expression (the pelvis task's rotated rows) adds the same as its value.
  QpProblem q;
  q.H = Eigen::MatrixXd::Identity(n, n);
  q.g = Eigen::VectorXd::Ones(n);
  const Eigen::RowVectorXd row = 0.6 * A.row(1) + 0.8 * A.row(2);
  AddTask(0.6 * A.row(1) + 0.8 * A.row(2), b.head<1>(), 2.0, &q);
  p.H = Eigen::MatrixXd::Identity(n, n);
  p.g = Eigen::VectorXd::Ones(n);
  AddTask(row, b.head<1>(), 2.0, &p);
  EXPECT_EQ(q.H, p.H);
  EXPECT_EQ(q.g, p.g);
}

TEST(WholeBodyQpTest, AssemblingAndSolvingTheControllersProblemAllocatesNothingOnceSized) {
  if (!kCountsAllocations) GTEST_SKIP() << "no allocation counter under AddressSanitizer";
  const SwayingController c = StartSwayingController();
  ASSERT_NE(c.wbc, nullptr);
  const Scene* scene = c.scene.get();
  RunState* run = c.run.get();
  const RobotInfo& info = scene->robot_info();
  const int nv = info.nv;
  const mjData& d = *run->data;
  JacobianHistory history;
  WholeBodyKinematics kin;
  const std::array<SoleRectangle, 2> soles{};
  const WholeBodyGains gains;
  const std::vector<int> stance{0, 1};
  const int n = nv + 12;
  const Eigen::Vector3d com_acc(0.5, -0.3, 0.2);
  FootTask foot;
  WholeBodyQp qp;
  QpProblem p;
  QpSolution solution;
  long allocations = 0;
  for (int tick = 0; tick < 3; ++tick) {
    const long before = AllocationCount();
    if (tick > 0) history.time = d.time - 0.002;  // a tick ago: the J-dot v differences run too
    c.Kinematics(&history, &kin);
    p.H.setZero(n, n);
    p.g.setZero(n);
    AddTask(kin.J_com, com_acc - kin.com_jdotv, gains.w_com, &p);
    AddRegularisation(gains, nv, 2, &p);
    AddContacts(d, info, kin, stance, soles, true, gains, &foot, &p);
    ASSERT_EQ(qp.Solve(p, nv, &solution), QpStatus::kOptimal);
    ASSERT_TRUE(qp.reduced());
    allocations = AllocationCount() - before;
  }
  EXPECT_EQ(allocations, 0);  // the third tick: every workspace already sized
}

TEST(WholeBodyQpTest, AWholeControllerTickAllocatesOnlyTheRecoverysSupportCornersOnce) {
  if (!kCountsAllocations) GTEST_SKIP() << "no allocation counter under AddressSanitizer";
  const SwayingController c = StartSwayingController();
  ASSERT_NE(c.wbc, nullptr);
  RunState* run = c.run.get();
  std::vector<double> ctrl(c.scene->robot_info().nu);
  mj_step1(c.scene->model(), run->data);
  long allocations = 0;
  for (int tick = 0; tick < 3; ++tick) {
    const long before = AllocationCount();
    run->controllers[0]->Compute(*c.scene, 0, *run->data, ctrl.data());
    allocations = AllocationCount() - before;
  }
  // The stance feet, the DCM stabiliser's support corners and their convex hull reuse
  // scratch; what is left is BalanceRecovery::Support's vector of corners (reserved once).
  EXPECT_LE(allocations, 1);
}

TEST(WholeBodyQpTest, SolvesProblemsItCannotReduceAsGiven) {
  std::mt19937 rng(5);
  QpProblem p = RandomProblem(&rng, 12, 1, 1.0, false);
  p.H(12, 3) = p.H(3, 12) = 0.01;  // the wrench's Hessian row is no longer diagonal
  WholeBodyQp qp;
  QpSolution reduced, full;
  ASSERT_EQ(qp.Solve(p, 12, &reduced), QpStatus::kOptimal);
  EXPECT_FALSE(qp.reduced());
  QpSolver solver;
  ASSERT_EQ(solver.Solve(p, &full), QpStatus::kOptimal);
  EXPECT_EQ(reduced.x, full.x);
}

}  // namespace
}  // namespace yangbot
