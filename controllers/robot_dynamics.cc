#include "controllers/robot_dynamics.h"

namespace yangbot {

void RobotMassMatrix(const mjModel* m, const mjData& d, int dof_begin, int nv, Eigen::MatrixXd* M) {
  M->setZero(nv, nv);
  // qM stores, for each dof i, M(i, i) then M(i, j) for its ancestors j, in chain order.
  for (int i = 0; i < nv; ++i) {
    const int dof = dof_begin + i;
    int adr = m->dof_Madr[dof];
    for (int j = dof; j >= 0; j = m->dof_parentid[j]) {
      const double value = d.qM[adr++];
      (*M)(i, j - dof_begin) = value;
      (*M)(j - dof_begin, i) = value;
    }
  }
}

void RobotBias(const mjData& d, int dof_begin, int nv, Eigen::VectorXd* h) {
  *h = Eigen::Map<const Eigen::VectorXd>(d.qfrc_bias + dof_begin, nv);
}

void RobotPointJacobian(const mjModel* m, const mjData& d, int body, const double point[3],
                        int dof_begin, int nv, Eigen::MatrixXd* J) {
  J->setZero(6, nv);
  while (body > 0 && m->body_dofnum[body] == 0) body = m->body_parentid[body];
  if (body <= 0) return;
  const double* origin = d.subtree_com + 3 * m->body_rootid[body];
  const double offset[3] = {point[0] - origin[0], point[1] - origin[1], point[2] - origin[2]};
  for (int dof = m->body_dofadr[body] + m->body_dofnum[body] - 1; dof >= 0;
       dof = m->dof_parentid[dof]) {
    const double* cdof = d.cdof + 6 * dof;  // (angular, linear) at the tree's com
    const int col = dof - dof_begin;
    (*J)(0, col) = cdof[3] + cdof[1] * offset[2] - cdof[2] * offset[1];
    (*J)(1, col) = cdof[4] + cdof[2] * offset[0] - cdof[0] * offset[2];
    (*J)(2, col) = cdof[5] + cdof[0] * offset[1] - cdof[1] * offset[0];
    (*J)(3, col) = cdof[0];
    (*J)(4, col) = cdof[1];
    (*J)(5, col) = cdof[2];
  }
}

void RobotComJacobian(const mjModel* m, const mjData& d, int root_body, int dof_begin, int nv,
                      Eigen::MatrixXd* J) {
  J->setZero(3, nv);
  const double total = m->body_subtreemass[root_body];
  const double* origin = d.subtree_com + 3 * m->body_rootid[root_body];
  // Dof k moves every body below its own body b: its column is the velocity of the
  // subtree's centre of mass, weighted by the subtree's share of the mass.
  for (int k = 0; k < nv; ++k) {
    const int dof = dof_begin + k;
    const int b = m->dof_bodyid[dof];
    const double share = m->body_subtreemass[b] / total;
    const double* c = d.subtree_com + 3 * b;
    const double offset[3] = {c[0] - origin[0], c[1] - origin[1], c[2] - origin[2]};
    const double* cdof = d.cdof + 6 * dof;
    (*J)(0, k) = share * (cdof[3] + cdof[1] * offset[2] - cdof[2] * offset[1]);
    (*J)(1, k) = share * (cdof[4] + cdof[2] * offset[0] - cdof[0] * offset[2]);
    (*J)(2, k) = share * (cdof[5] + cdof[0] * offset[1] - cdof[1] * offset[0]);
  }
}

}  // namespace yangbot
